"""The initial import (S2) and reconciliation (W6): reading a store through Shopify's Admin
GraphQL API and writing it through the same buffers and writers as live sync."""
