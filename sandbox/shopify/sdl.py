"""The subset of Shopify's Admin GraphQL schema the simulator serves, in SDL.

Every type, field and argument here carries Shopify's own name and type (a test checks this
against Shopify's published introspection), so a document that validates here validates
against Shopify. Enums list only the values the simulator produces or accepts.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from graphql import (
    GraphQLInterfaceType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
)

from . import versions as v

_CONNECTION_ARGS = "first: Int, after: String, last: Int, before: String, reverse: Boolean = false"

BASE_SDL = f"""
schema {{
  query: QueryRoot
  mutation: Mutation
}}

scalar DateTime
scalar Decimal
scalar Money
scalar URL
scalar HTML
scalar UnsignedInt64

interface Node {{
  id: ID!
}}

type QueryRoot {{
  shop: Shop!
  node(id: ID!): Node
  customer(id: ID!): Customer
  customers({_CONNECTION_ARGS}, sortKey: CustomerSortKeys = ID, query: String): CustomerConnection!
  customersCount(query: String): Count
  product(id: ID!): Product
  productVariant(id: ID!): ProductVariant
  products({_CONNECTION_ARGS}, sortKey: ProductSortKeys = ID, query: String): ProductConnection!
  productsCount(query: String, limit: Int): Count
  order(id: ID!): Order
  orders({_CONNECTION_ARGS}, sortKey: OrderSortKeys = PROCESSED_AT, query: String): OrderConnection!
  ordersCount(query: String, limit: Int): Count
  abandonedCheckouts(
    {_CONNECTION_ARGS}, sortKey: AbandonedCheckoutSortKeys = ID, query: String
  ): AbandonedCheckoutConnection!
  abandonedCheckoutsCount(query: String, limit: Int): Count
  currentBulkOperation(type: BulkOperationType = QUERY): BulkOperation
  webhookSubscription(id: ID!): WebhookSubscription
  webhookSubscriptions(
    {_CONNECTION_ARGS}, sortKey: WebhookSubscriptionSortKeys = CREATED_AT,
    callbackUrl: URL, format: WebhookSubscriptionFormat, topics: [WebhookSubscriptionTopic!]
  ): WebhookSubscriptionConnection!
  theme(id: ID!): OnlineStoreTheme
  themes(roles: [ThemeRole!], names: [String!], {_CONNECTION_ARGS}): OnlineStoreThemeConnection
}}

type Mutation {{
  bulkOperationRunQuery(query: String!): BulkOperationRunQueryPayload
  bulkOperationCancel(id: ID!): BulkOperationCancelPayload
  webhookSubscriptionCreate(
    topic: WebhookSubscriptionTopic!, webhookSubscription: WebhookSubscriptionInput!
  ): WebhookSubscriptionCreatePayload
  webhookSubscriptionUpdate(
    id: ID!, webhookSubscription: WebhookSubscriptionInput!
  ): WebhookSubscriptionUpdatePayload
  webhookSubscriptionDelete(id: ID!): WebhookSubscriptionDeletePayload
  themeFilesUpsert(
    themeId: ID!, files: [OnlineStoreThemeFilesUpsertFileInput!]!
  ): ThemeFilesUpsertPayload
  scriptTagCreate(input: ScriptTagInput!): ScriptTagCreatePayload
}}

type PageInfo {{
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}}

type Count {{
  count: Int!
  precision: CountPrecision!
}}

enum CountPrecision {{
  EXACT
  AT_LEAST
}}

type MoneyV2 {{
  amount: Decimal!
  currencyCode: CurrencyCode!
}}

type MoneyBag {{
  shopMoney: MoneyV2!
  presentmentMoney: MoneyV2!
}}

enum CurrencyCode {{
  USD
  EUR
  GBP
  CAD
  AUD
}}

enum CountryCode {{
  US
  CA
  GB
  NL
  DE
  FR
  ES
  AU
}}

type Attribute {{
  key: String!
  value: String
}}

type UserError {{
  field: [String!]
  message: String!
}}

type Shop implements Node {{
  id: ID!
  name: String!
  email: String!
  contactEmail: String!
  myshopifyDomain: String!
  url: URL!
  primaryDomain: Domain!
  currencyCode: CurrencyCode!
  enabledPresentmentCurrencies: [CurrencyCode!]!
  ianaTimezone: String!
  timezoneOffset: String!
  timezoneOffsetMinutes: Int!
}}

type Domain implements Node {{
  id: ID!
  host: String!
  url: URL!
}}

type MailingAddress implements Node {{
  id: ID!
  firstName: String
  lastName: String
  name: String
  company: String
  address1: String
  address2: String
  city: String
  province: String
  provinceCode: String
  country: String
  countryCodeV2: CountryCode
  zip: String
  phone: String
}}

# -- customers ------------------------------------------------------------------------------

type Customer implements Node {{
  id: ID!
  legacyResourceId: UnsignedInt64!
  firstName: String
  lastName: String
  displayName: String!
  email: String @deprecated(reason: "Use `defaultEmailAddress.emailAddress` instead.")
  phone: String
  note: String
  tags: [String!]!
  taxExempt: Boolean!
  verifiedEmail: Boolean!
  validEmailAddress: Boolean! @deprecated(reason: "Use `defaultEmailAddress.validFormat`.")
  state: CustomerState!
  createdAt: DateTime!
  updatedAt: DateTime!
  defaultAddress: MailingAddress
  addresses(first: Int): [MailingAddress!]!
  emailMarketingConsent: CustomerEmailMarketingConsentState
    @deprecated(reason: "Use `defaultEmailAddress.marketingState` instead.")
  smsMarketingConsent: CustomerSmsMarketingConsentState
  numberOfOrders: UnsignedInt64!
  amountSpent: MoneyV2!
  lastOrder: Order
  orders({_CONNECTION_ARGS}, sortKey: OrderSortKeys = ID, query: String): OrderConnection!
}}

enum CustomerState {{
  DECLINED
  DISABLED
  ENABLED
  INVITED
}}

type CustomerEmailMarketingConsentState {{
  marketingState: CustomerEmailMarketingState!
  marketingOptInLevel: CustomerMarketingOptInLevel
  consentUpdatedAt: DateTime
}}

enum CustomerEmailMarketingState {{
  NOT_SUBSCRIBED
  PENDING
  SUBSCRIBED
  UNSUBSCRIBED
  REDACTED
  INVALID
}}

enum CustomerMarketingOptInLevel {{
  SINGLE_OPT_IN
  CONFIRMED_OPT_IN
  UNKNOWN
}}

type CustomerSmsMarketingConsentState {{
  marketingState: CustomerSmsMarketingState!
  marketingOptInLevel: CustomerMarketingOptInLevel!
  consentUpdatedAt: DateTime
  consentCollectedFrom: CustomerConsentCollectedFrom
}}

enum CustomerSmsMarketingState {{
  NOT_SUBSCRIBED
  PENDING
  SUBSCRIBED
  UNSUBSCRIBED
  REDACTED
}}

enum CustomerConsentCollectedFrom {{
  SHOPIFY
  OTHER
}}

enum CustomerSortKeys {{
  CREATED_AT
  ID
  UPDATED_AT
}}

type CustomerConnection {{
  edges: [CustomerEdge!]!
  nodes: [Customer!]!
  pageInfo: PageInfo!
}}

type CustomerEdge {{
  cursor: String!
  node: Customer!
}}

# -- products -------------------------------------------------------------------------------

type Product implements Node {{
  id: ID!
  legacyResourceId: UnsignedInt64!
  title: String!
  handle: String!
  descriptionHtml: HTML!
  description(truncateAt: Int): String!
  bodyHtml: String @deprecated(reason: "Use `descriptionHtml` instead.")
  productType: String!
  vendor: String!
  tags: [String!]!
  status: ProductStatus!
  createdAt: DateTime!
  updatedAt: DateTime!
  publishedAt: DateTime
  templateSuffix: String
  onlineStoreUrl: URL
  hasOnlyDefaultVariant: Boolean!
  totalVariants: Int! @deprecated(reason: "Use `variantsCount` instead.")
  variantsCount: Count
  options(first: Int): [ProductOption!]!
  variants(
    {_CONNECTION_ARGS}, sortKey: ProductVariantSortKeys = POSITION
  ): ProductVariantConnection!
  featuredImage: Image @deprecated(reason: "Use `featuredMedia` instead.")
  images(
    {_CONNECTION_ARGS}, sortKey: ProductImageSortKeys = POSITION
  ): ImageConnection! @deprecated(reason: "Use `media` instead.")
  media({_CONNECTION_ARGS}, sortKey: ProductMediaSortKeys = POSITION): MediaConnection!
}}

enum ProductStatus {{
  ACTIVE
  ARCHIVED
  DRAFT
}}

enum ProductSortKeys {{
  CREATED_AT
  ID
  TITLE
  UPDATED_AT
}}

type ProductOption implements Node {{
  id: ID!
  name: String!
  position: Int!
  values: [String!]!
}}

type ProductVariant implements Node {{
  id: ID!
  legacyResourceId: UnsignedInt64!
  title: String!
  displayName: String!
  sku: String
  barcode: String
  price: Money!
  compareAtPrice: Money
  position: Int!
  taxable: Boolean!
  inventoryQuantity: Int
  inventoryPolicy: ProductVariantInventoryPolicy!
  createdAt: DateTime!
  updatedAt: DateTime!
  product: Product!
  selectedOptions: [SelectedOption!]!
  image: Image
}}

enum ProductVariantInventoryPolicy {{
  DENY
  CONTINUE
}}

enum ProductVariantSortKeys {{
  ID
  POSITION
}}

type SelectedOption {{
  name: String!
  value: String!
}}

type ProductConnection {{
  edges: [ProductEdge!]!
  nodes: [Product!]!
  pageInfo: PageInfo!
}}

type ProductEdge {{
  cursor: String!
  node: Product!
}}

type ProductVariantConnection {{
  edges: [ProductVariantEdge!]!
  nodes: [ProductVariant!]!
  pageInfo: PageInfo!
}}

type ProductVariantEdge {{
  cursor: String!
  node: ProductVariant!
}}

type Image {{
  id: ID
  url: URL!
  altText: String
  width: Int
  height: Int
}}

enum ProductImageSortKeys {{
  ID
  POSITION
}}

type ImageConnection {{
  edges: [ImageEdge!]!
  nodes: [Image!]!
  pageInfo: PageInfo!
}}

type ImageEdge {{
  cursor: String!
  node: Image!
}}

interface Media {{
  id: ID!
  alt: String
  mediaContentType: MediaContentType!
  status: MediaStatus!
}}

type MediaImage implements Media & Node {{
  id: ID!
  alt: String
  mediaContentType: MediaContentType!
  status: MediaStatus!
  image: Image
}}

enum MediaContentType {{
  IMAGE
}}

enum MediaStatus {{
  READY
}}

enum ProductMediaSortKeys {{
  ID
  POSITION
}}

type MediaConnection {{
  edges: [MediaEdge!]!
  nodes: [Media!]!
  pageInfo: PageInfo!
}}

type MediaEdge {{
  cursor: String!
  node: Media!
}}

# -- orders ---------------------------------------------------------------------------------

type Order implements Node {{
  id: ID!
  legacyResourceId: UnsignedInt64!
  name: String!
  email: String
  phone: String
  note: String
  tags: [String!]!
  test: Boolean!
  confirmationNumber: String
  createdAt: DateTime!
  updatedAt: DateTime!
  processedAt: DateTime!
  closed: Boolean!
  closedAt: DateTime
  cancelledAt: DateTime
  cancelReason: OrderCancelReason
  currencyCode: CurrencyCode!
  presentmentCurrencyCode: CurrencyCode!
  displayFinancialStatus: OrderDisplayFinancialStatus
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  fullyPaid: Boolean!
  unpaid: Boolean!
  customer: Customer
  customerAcceptsMarketing: Boolean!
  billingAddress: MailingAddress
  shippingAddress: MailingAddress
  sourceName: String
  sourceIdentifier: String
  landingPageUrl: URL @deprecated(reason: "Use `customerJourneySummary.lastVisit.landingPage`.")
  referrerUrl: URL @deprecated(reason: "Use `customerJourneySummary.lastVisit.referrerUrl`.")
  paymentGatewayNames: [String!]!
  statusPageUrl: URL!
  customAttributes: [Attribute!]!
  taxesIncluded: Boolean!
  totalWeight: UnsignedInt64
  subtotalLineItemsQuantity: Int!
  subtotalPriceSet: MoneyBag
  totalDiscountsSet: MoneyBag
  totalShippingPriceSet: MoneyBag!
  totalTaxSet: MoneyBag
  totalPriceSet: MoneyBag!
  originalTotalPriceSet: MoneyBag!
  currentSubtotalPriceSet: MoneyBag!
  currentTotalTaxSet: MoneyBag!
  currentTotalPriceSet: MoneyBag!
  totalReceivedSet: MoneyBag!
  totalRefundedSet: MoneyBag!
  totalOutstandingSet: MoneyBag!
  lineItems({_CONNECTION_ARGS}): LineItemConnection!
  refunds(first: Int): [Refund!]!
}}

enum OrderCancelReason {{
  CUSTOMER
  DECLINED
  FRAUD
  INVENTORY
  STAFF
  OTHER
}}

enum OrderDisplayFinancialStatus {{
  PENDING
  AUTHORIZED
  PARTIALLY_PAID
  PARTIALLY_REFUNDED
  VOIDED
  PAID
  REFUNDED
}}

enum OrderDisplayFulfillmentStatus {{
  UNFULFILLED
  PARTIALLY_FULFILLED
  FULFILLED
}}

enum OrderSortKeys {{
  CREATED_AT
  ID
  ORDER_NUMBER
  PROCESSED_AT
  UPDATED_AT
}}

type OrderConnection {{
  edges: [OrderEdge!]!
  nodes: [Order!]!
  pageInfo: PageInfo!
}}

type OrderEdge {{
  cursor: String!
  node: Order!
}}

type LineItem implements Node {{
  id: ID!
  name: String!
  title: String!
  variantTitle: String
  sku: String
  vendor: String
  quantity: Int!
  currentQuantity: Int!
  refundableQuantity: Int!
  unfulfilledQuantity: Int!
  nonFulfillableQuantity: Int!
  requiresShipping: Boolean!
  taxable: Boolean!
  isGiftCard: Boolean!
  product: Product
  variant: ProductVariant
  customAttributes: [Attribute!]!
  originalUnitPriceSet: MoneyBag!
  discountedUnitPriceSet: MoneyBag!
  originalTotalSet: MoneyBag!
  discountedTotalSet(withCodeDiscounts: Boolean = false): MoneyBag!
  totalDiscountSet: MoneyBag!
}}

type LineItemConnection {{
  edges: [LineItemEdge!]!
  nodes: [LineItem!]!
  pageInfo: PageInfo!
}}

type LineItemEdge {{
  cursor: String!
  node: LineItem!
}}

type Refund implements Node {{
  id: ID!
  note: String
  createdAt: DateTime
  updatedAt: DateTime!
  totalRefundedSet: MoneyBag!
  refundLineItems({_CONNECTION_ARGS}): RefundLineItemConnection!
}}

type RefundLineItem {{
  id: ID
  lineItem: LineItem!
  quantity: Int!
  restocked: Boolean!
  restockType: RefundLineItemRestockType!
  priceSet: MoneyBag!
  subtotalSet: MoneyBag!
  totalTaxSet: MoneyBag!
}}

enum RefundLineItemRestockType {{
  RETURN
  CANCEL
  LEGACY_RESTOCK
  NO_RESTOCK
}}

type RefundLineItemConnection {{
  edges: [RefundLineItemEdge!]!
  nodes: [RefundLineItem!]!
  pageInfo: PageInfo!
}}

type RefundLineItemEdge {{
  cursor: String!
  node: RefundLineItem!
}}

# -- abandoned checkouts --------------------------------------------------------------------

type AbandonedCheckout implements Node {{
  id: ID!
  name: String!
  abandonedCheckoutUrl: URL!
  completedAt: DateTime
  createdAt: DateTime!
  updatedAt: DateTime!
  defaultCursor: String!
  customer: Customer
  note: String!
  taxesIncluded: Boolean!
  discountCodes: [String!]!
  customAttributes: [Attribute!]!
  billingAddress: MailingAddress
  shippingAddress: MailingAddress
  subtotalPriceSet: MoneyBag!
  totalDiscountSet: MoneyBag!
  totalLineItemsPriceSet: MoneyBag!
  totalTaxSet: MoneyBag
  totalPriceSet: MoneyBag!
  lineItems({_CONNECTION_ARGS}): AbandonedCheckoutLineItemConnection!
}}

type AbandonedCheckoutLineItem implements Node {{
  id: ID!
  title: String
  variantTitle: String
  sku: String
  quantity: Int!
  product: Product
  variant: ProductVariant
  originalUnitPriceSet: MoneyBag!
  originalTotalPriceSet: MoneyBag!
  discountedUnitPriceSet: MoneyBag!
  discountedTotalPriceSet: MoneyBag!
}}

enum AbandonedCheckoutSortKeys {{
  CHECKOUT_ID
  CREATED_AT
  ID
}}

type AbandonedCheckoutConnection {{
  edges: [AbandonedCheckoutEdge!]!
  nodes: [AbandonedCheckout!]!
  pageInfo: PageInfo!
}}

type AbandonedCheckoutEdge {{
  cursor: String!
  node: AbandonedCheckout!
}}

type AbandonedCheckoutLineItemConnection {{
  edges: [AbandonedCheckoutLineItemEdge!]!
  nodes: [AbandonedCheckoutLineItem!]!
  pageInfo: PageInfo!
}}

type AbandonedCheckoutLineItemEdge {{
  cursor: String!
  node: AbandonedCheckoutLineItem!
}}

# -- bulk operations ------------------------------------------------------------------------

type BulkOperation implements Node {{
  id: ID!
  status: BulkOperationStatus!
  type: BulkOperationType!
  query: String!
  errorCode: BulkOperationErrorCode
  objectCount: UnsignedInt64!
  rootObjectCount: UnsignedInt64!
  fileSize: UnsignedInt64
  url: URL
  partialDataUrl: URL
  createdAt: DateTime!
  completedAt: DateTime
}}

enum BulkOperationStatus {{
  CANCELED
  CANCELING
  COMPLETED
  CREATED
  EXPIRED
  FAILED
  RUNNING
}}

enum BulkOperationType {{
  QUERY
  MUTATION
}}

enum BulkOperationErrorCode {{
  ACCESS_DENIED
  INTERNAL_SERVER_ERROR
  TIMEOUT
}}

type BulkOperationRunQueryPayload {{
  bulkOperation: BulkOperation
  userErrors: [BulkOperationUserError!]!
}}

type BulkOperationUserError {{
  code: BulkOperationUserErrorCode
  field: [String!]
  message: String!
}}

enum BulkOperationUserErrorCode {{
  OPERATION_IN_PROGRESS
  INVALID
}}

type BulkOperationCancelPayload {{
  bulkOperation: BulkOperation
  userErrors: [UserError!]!
}}

# -- webhook subscriptions ------------------------------------------------------------------

type WebhookSubscription implements Node {{
  id: ID!
  legacyResourceId: UnsignedInt64!
  topic: WebhookSubscriptionTopic!
  format: WebhookSubscriptionFormat!
  endpoint: WebhookSubscriptionEndpoint!
  callbackUrl: URL! @deprecated(reason: "Use `endpoint` instead.")
  includeFields: [String!]!
  apiVersion: ApiVersion!
  createdAt: DateTime!
  updatedAt: DateTime!
}}

union WebhookSubscriptionEndpoint = WebhookHttpEndpoint

type WebhookHttpEndpoint {{
  callbackUrl: URL!
}}

type ApiVersion {{
  handle: String!
  displayName: String!
  supported: Boolean!
}}

input WebhookSubscriptionInput {{
  callbackUrl: URL
  format: WebhookSubscriptionFormat
  includeFields: [String!]
}}

enum WebhookSubscriptionFormat {{
  JSON
  XML
}}

enum WebhookSubscriptionSortKeys {{
  CREATED_AT
  ID
}}

enum WebhookSubscriptionTopic {{
  APP_UNINSTALLED
  BULK_OPERATIONS_FINISH
  CHECKOUTS_CREATE
  CHECKOUTS_DELETE
  CHECKOUTS_UPDATE
  CUSTOMERS_CREATE
  CUSTOMERS_DELETE
  CUSTOMERS_DISABLE
  CUSTOMERS_ENABLE
  CUSTOMERS_UPDATE
  CUSTOMERS_PURCHASING_SUMMARY
  CUSTOMERS_MARKETING_CONSENT_UPDATE
  CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE
  CUSTOMER_TAGS_ADDED
  CUSTOMER_TAGS_REMOVED
  ORDERS_CANCELLED
  ORDERS_CREATE
  ORDERS_DELETE
  ORDERS_EDITED
  ORDERS_FULFILLED
  ORDERS_PAID
  ORDERS_PARTIALLY_FULFILLED
  ORDERS_UPDATED
  PRODUCTS_CREATE
  PRODUCTS_DELETE
  PRODUCTS_UPDATE
  REFUNDS_CREATE
}}

type WebhookSubscriptionConnection {{
  edges: [WebhookSubscriptionEdge!]!
  nodes: [WebhookSubscription!]!
  pageInfo: PageInfo!
}}

type WebhookSubscriptionEdge {{
  cursor: String!
  node: WebhookSubscription!
}}

type WebhookSubscriptionCreatePayload {{
  webhookSubscription: WebhookSubscription
  userErrors: [UserError!]!
}}

type WebhookSubscriptionUpdatePayload {{
  webhookSubscription: WebhookSubscription
  userErrors: [UserError!]!
}}

type WebhookSubscriptionDeletePayload {{
  deletedWebhookSubscriptionId: ID
  userErrors: [UserError!]!
}}

# -- themes and script tags -----------------------------------------------------------------

type OnlineStoreTheme implements Node {{
  id: ID!
  name: String!
  role: ThemeRole!
  prefix: String!
  processing: Boolean!
  processingFailed: Boolean!
  themeStoreId: Int
  createdAt: DateTime!
  updatedAt: DateTime!
  files(filenames: [String!], first: Int = 50, after: String): OnlineStoreThemeFileConnection
}}

enum ThemeRole {{
  MAIN
  UNPUBLISHED
  DEMO
  DEVELOPMENT
  ARCHIVED
  LOCKED
  MOBILE
}}

type OnlineStoreThemeConnection {{
  edges: [OnlineStoreThemeEdge!]!
  nodes: [OnlineStoreTheme!]!
  pageInfo: PageInfo!
}}

type OnlineStoreThemeEdge {{
  cursor: String!
  node: OnlineStoreTheme!
}}

type OnlineStoreThemeFile {{
  filename: String!
  body: OnlineStoreThemeFileBody!
  checksumMd5: String
  contentType: String!
  size: UnsignedInt64!
  createdAt: DateTime!
  updatedAt: DateTime!
}}

union OnlineStoreThemeFileBody = OnlineStoreThemeFileBodyText | OnlineStoreThemeFileBodyBase64

type OnlineStoreThemeFileBodyText {{
  content: String!
}}

type OnlineStoreThemeFileBodyBase64 {{
  contentBase64: String!
}}

type OnlineStoreThemeFileConnection {{
  edges: [OnlineStoreThemeFileEdge!]!
  nodes: [OnlineStoreThemeFile!]!
  pageInfo: PageInfo!
  userErrors: [OnlineStoreThemeFileReadResult!]!
}}

type OnlineStoreThemeFileEdge {{
  cursor: String!
  node: OnlineStoreThemeFile!
}}

type OnlineStoreThemeFileReadResult {{
  code: OnlineStoreThemeFileResultType!
  filename: String!
}}

enum OnlineStoreThemeFileResultType {{
  SUCCESS
  ERROR
  NOT_FOUND
}}

input OnlineStoreThemeFilesUpsertFileInput {{
  filename: String!
  body: OnlineStoreThemeFileBodyInput!
}}

input OnlineStoreThemeFileBodyInput {{
  type: OnlineStoreThemeFileBodyInputType!
  value: String!
}}

enum OnlineStoreThemeFileBodyInputType {{
  TEXT
  BASE64
  URL
}}

type ThemeFilesUpsertPayload {{
  job: Job
  upsertedThemeFiles: [OnlineStoreThemeFileOperationResult!]
  userErrors: [OnlineStoreThemeFilesUserErrors!]!
}}

type Job {{
  id: ID!
  done: Boolean!
}}

type OnlineStoreThemeFileOperationResult {{
  filename: String!
}}

type OnlineStoreThemeFilesUserErrors {{
  code: OnlineStoreThemeFilesUserErrorsCode
  field: [String!]
  filename: String
  message: String!
}}

enum OnlineStoreThemeFilesUserErrorsCode {{
  NOT_FOUND
  FILE_VALIDATION_ERROR
  DUPLICATE_FILE_INPUT
  ERROR
}}

input ScriptTagInput {{
  src: URL
  displayScope: ScriptTagDisplayScope
  cache: Boolean
}}

enum ScriptTagDisplayScope {{
  ALL
  ORDER_STATUS
  ONLINE_STORE
}}

type ScriptTag implements Node {{
  id: ID!
  legacyResourceId: UnsignedInt64!
  src: URL!
  displayScope: ScriptTagDisplayScope!
  cache: Boolean!
  createdAt: DateTime!
  updatedAt: DateTime!
}}

type ScriptTagCreatePayload {{
  scriptTag: ScriptTag
  userErrors: [UserError!]!
}}
"""

# What newer API versions add to the base (which is checked against Shopify's 2025-01 schema).
ADDITIONS = (
    (
        v.BULK_OPERATION_BY_ID_FROM,
        "extend type QueryRoot {\n  bulkOperation(id: ID!): BulkOperation\n}\n",
    ),
)


def sdl_for(version: str) -> str:
    extra = "".join(text for floor, text in ADDITIONS if v.at_least(version, floor))
    return BASE_SDL + extra


def _resolve_type(value: Any, info: GraphQLResolveInfo, abstract: Any) -> str:
    """Objects answer for interfaces and unions with a `typename`; plain dicts with one."""
    return value["__typename"] if isinstance(value, dict) else str(value.typename)


@cache
def _schema(sdl: str) -> GraphQLSchema:
    schema = build_schema(sdl)
    for named in schema.type_map.values():
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            named.resolve_type = _resolve_type
    return schema


def schema_for(version: str) -> GraphQLSchema:
    """One schema object per distinct SDL, shared by every request at those versions."""
    return _schema(sdl_for(version))
