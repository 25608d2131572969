"""The GraphQL documents the import and reconciliation send (validated against Shopify's
published Admin schema by the tests). `*_BULK` are the inner queries of bulk operations;
`*_QUERY` page through the same fields for reconciliation."""

from __future__ import annotations

_ADDRESS = "address1 address2 city province country zip phone firstName lastName"
_MONEY = "shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }"

_CUSTOMER = f"""
  id firstName lastName email phone note tags taxExempt verifiedEmail createdAt updatedAt
  numberOfOrders amountSpent {{ amount currencyCode }}
  emailMarketingConsent {{ marketingState marketingOptInLevel consentUpdatedAt }}
  defaultAddress {{ {_ADDRESS} }}
"""

_PRODUCT = """
  id title handle descriptionHtml productType vendor tags status createdAt updatedAt publishedAt
"""

_VARIANT = "id title sku price"

_LINE = "id title variantTitle sku quantity product { id } variant { id }"

_ORDER = f"""
  id name email phone note createdAt updatedAt processedAt cancelledAt cancelReason
  currencyCode presentmentCurrencyCode displayFinancialStatus displayFulfillmentStatus
  customerAcceptsMarketing taxesIncluded totalWeight sourceName landingPageUrl referrerUrl test
  subtotalPriceSet {{ {_MONEY} }} totalDiscountsSet {{ {_MONEY} }} totalTaxSet {{ {_MONEY} }}
  totalPriceSet {{ {_MONEY} }} currentTotalPriceSet {{ {_MONEY} }}
  totalShippingPriceSet {{ {_MONEY} }}
  billingAddress {{ {_ADDRESS} }}
  customer {{ {_CUSTOMER} }}
"""


_ORDER_LINE = f"{_LINE} originalUnitPriceSet {{ {_MONEY} }}"


def _filter(query: str | None) -> str:
    return "" if not query else f'(query: "{query}")'


def products_bulk(query: str | None = None) -> str:
    return f"""{{ products{_filter(query)} {{ edges {{ node {{ {_PRODUCT}
      variants {{ edges {{ node {{ {_VARIANT} }} }} }}
      images {{ edges {{ node {{ url }} }} }}
    }} }} }} }}"""


def customers_bulk(query: str | None = None) -> str:
    return f"{{ customers{_filter(query)} {{ edges {{ node {{ {_CUSTOMER} }} }} }} }}"


def orders_bulk(query: str | None = None) -> str:
    return f"""{{ orders{_filter(query)} {{ edges {{ node {{ {_ORDER}
      lineItems {{ edges {{ node {{ {_ORDER_LINE} }} }} }}
    }} }} }} }}"""


def id_bounds(root: str) -> str:
    """The oldest and the newest id of a connection (`products`, `customers`, `orders`), and
    how many it holds (Shopify counts up to 10,000 unless told otherwise)."""
    return f"""{{ oldest: {root}(first: 1, sortKey: ID) {{ nodes {{ id }} }}
      newest: {root}(first: 1, sortKey: ID, reverse: true) {{ nodes {{ id }} }}
      {root}Count {{ count }} }}"""


# Every product id: what reconciliation needs to see deletions, which "updated since" cannot.
PRODUCT_IDS_BULK = "{ products { edges { node { id variants { edges { node { id } } } } } } }"

RUN_MUTATION = """
mutation RunBulk($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status }
    userErrors { field message }
  }
}
"""

# The latest bulk query: a start whose reply was lost may have begun it.
CURRENT_OPERATION_QUERY = """
query CurrentOperation {
  currentBulkOperation(type: QUERY) { id query }
}
"""

OPERATION_QUERY = """
query Operation($id: ID!) {
  node(id: $id) {
    ... on BulkOperation { id status errorCode objectCount rootObjectCount url }
  }
}
"""

# Checkouts completed since a time: reconciliation links their orders to their deals, since
# an order read through GraphQL does not name its checkout.
CLOSED_CHECKOUTS_QUERY = """
query ClosedCheckouts($query: String!, $after: String) {
  abandonedCheckouts(first: 100, after: $after, query: $query) {
    nodes { id abandonedCheckoutUrl completedAt }
    pageInfo { hasNextPage endCursor }
  }
}
"""

ORDER_OF_CHECKOUT_QUERY = """
query OrderOfCheckout($query: String!) {
  orders(first: 1, query: $query) { nodes { id } }
}
"""
