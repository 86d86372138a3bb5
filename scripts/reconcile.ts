/**
 * `npm run reconcile`: compares every escrow account, lease and payee in the database with the
 * contract and prints the differences. Exit code 0 when they agree, 1 when they differ.
 * Reads the same environment as the server (DATABASE_URL, EVM_RPC_URL, ESCROW_ADDRESS, ...).
 */
import { chainRuntime } from "@/lib/chain/runtime";
import { disconnectDb } from "@/lib/db";
import { reconcile } from "@/lib/escrow/reconcile";

async function main(): Promise<number> {
  const runtime = chainRuntime();
  if (!runtime) {
    process.stderr.write(
      "no chain is configured: set EVM_RPC_URL, EVM_CHAIN_ID, ESCROW_ADDRESS, TOKEN_ADDRESS and CHAIN_MASTER_SECRET\n",
    );
    return 2;
  }
  const result = await reconcile(runtime.chain, runtime.settings);
  process.stdout.write(
    `chain ${result.chainId}, head block ${result.headBlock}, indexed to ${result.indexedBlock ?? "nothing"}; ` +
      `${result.accounts} escrow accounts, ${result.leases} leases, ${result.payees} payees checked\n`,
  );
  if (result.differences.length === 0) {
    process.stdout.write("the database and the chain agree\n");
    return 0;
  }
  for (const d of result.differences) {
    process.stdout.write(`${d.subject} ${d.id} ${d.field}: database ${d.database}, chain ${d.chain}\n`);
  }
  return 1;
}

main()
  .then(async (code) => {
    await disconnectDb();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    await disconnectDb();
    process.exit(2);
  });
