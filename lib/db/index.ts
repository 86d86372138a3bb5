export { db, disconnectDb, transaction, type Db } from "./client";
export { translateDbError } from "./errors";
