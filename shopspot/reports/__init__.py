"""The eight e-commerce reports of HubSpot's Shopify integration (R1), from HubSpot's data."""
