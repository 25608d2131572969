"""The story of one Shopify object (`shopspot trace`): what the receiver, its task and the
flushes did with it, kept for a while in Redis with ids, topics, times and outcomes only."""
