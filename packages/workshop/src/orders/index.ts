export {
  createOrder, findOrder, requireOrder, listOrders, orderHistory, changeMadeBy, moveOrder, moveLockedOrder, changeOrder,
  type Order, type NewOrder, type StatusChange, type HistoryEntry, type OrderFilter, type OrderChanges, type Move,
} from './order-store.js';
export { attachModel, type AttachModel, type AttachModelDeps, type StoredModel } from './attach-model.js';
export { orderSchema, orderListSchema, orderIdParams, newOrderBody, statusNoteBody } from './order-schemas.js';
export { changeOnce, type ChangeOnce } from './change-once.js';
export { placeOrder } from './place-order.js';
