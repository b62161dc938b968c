export {
  orderStatuses, orderTransitions, pricingStatuses, productionStatuses, checkTransition, canReach, nextStatuses, handOffFrom, isFinalStatus, isOrderStatus,
  type OrderStatus, type OrderActor, type OrderTransition, type HandOffStage, type PricingStatus,
} from './order-status.js';
export {
  metals, products, defaultPricingConfig, calculateQuote, pricingConfigWith, isMetal,
  type Metal, type Product, type MetalPrice, type PricingConfig, type PartialPricingConfig, type PricingInput, type Quote, type QuoteLine,
} from './pricing.js';
export { hashPassword, verifyPassword, defaultPasswordHashOptions, type PasswordHashOptions } from './passwords.js';
export { newSessionToken, hashSessionToken } from './session-tokens.js';
export { LoginFailureWindow, type LoginFailureWindowOptions, type LoginFailureCount } from './login-failures.js';
export {
  routingKeys, readToManufacturing, readPriced, readProductionStatus,
  type ToManufacturingMessage, type PricedMessage, type ProductionStatusMessage,
} from './messages.js';
