"""The screening domain: protocols, guidance, the conversation, the record. No Qt, no SQL."""
