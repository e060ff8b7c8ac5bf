"""Near-duplicate questions: the text of a question, its embedding, and the similar pairs.

text → embed (cached by model and text hash; the model loads only for texts not cached)
→ search (chunked cosine similarity, top-k per row) → pairs and clusters. QB402 and
`qbank dedup` share this pipeline through `find_near_duplicates`.
"""
