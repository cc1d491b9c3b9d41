import type { Db } from "../../../db/client";
import { connectDatabase } from "../../../db/connect";

/** Short commands: connect (or start the embedded database for this command's lifetime), act, close. */
export async function withDatabase<T>(action: (db: Db) => Promise<T>): Promise<T> {
  const connection = await connectDatabase({ poolMax: 2, applicationName: "lrlab-cli" });
  try {
    return await action(connection.db);
  } finally {
    await connection.close();
  }
}
