"""Message handlers: reading Chinese, dispatching intents, answering in the chat."""
