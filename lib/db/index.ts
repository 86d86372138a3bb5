export { db, disconnectDb, transaction, type Db } from "./client";
export { translateDbError } from "./errors";
export type { ChainTx, ChainTxStatus, LedgerKind, LeaseCloseReason } from "./generated/client";
