"""Pure mapping from Shopify payload models to HubSpot property dicts, one module per HubSpot
object (products, contacts, deals, line_items), the data model they write (datamodel) and the
value formats they share (values)."""
