"""Coverage: how the bank stands against the exam guide's weights, subsections and topics."""
