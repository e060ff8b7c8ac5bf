"""Test-wiseness cues: what a guesser who reads only the form of the options would score.

`signals` and `grammar` read one question; `strategies` turns them into a guesser's picks;
`guessing` scores the picks against chance. QB205, QB209, QB210, QB405, QB407 and
`qbank cues` all use these modules.
"""
