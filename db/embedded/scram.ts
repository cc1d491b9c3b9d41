/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677), as Postgres uses it for password
 * authentication: the password never crosses the socket, and a client that does not know it
 * learns nothing but a salt. Message grammar as in Postgres's src/backend/libpq/auth-scram.c
 * (no channel binding: the embedded server speaks plain TCP on loopback).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

export const SCRAM_MECHANISM = "SCRAM-SHA-256";
/** Postgres's default (scram_iterations). */
const ITERATIONS = 4096;

/** What a server keeps instead of the password (Postgres's stored verifier). */
export interface ScramVerifier {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest();

/** Derived once per server: PBKDF2 is deliberately slow, and every connection would pay it. */
export function scramVerifier(password: string): ScramVerifier {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize("NFKC"), salt, ITERATIONS, 32, "sha256");
  return {
    salt,
    iterations: ITERATIONS,
    storedKey: createHash("sha256").update(hmac(salted, "Client Key")).digest(),
    serverKey: hmac(salted, "Server Key"),
  };
}

/** One exchange: `first` answers the client-first-message, `final` checks the proof. */
export interface ScramExchange {
  /** The server-first-message, or an error text for a malformed client-first-message. */
  first(clientFirst: string): { serverFirst: string } | { error: string };
  /** The server-final-message when the proof is right, otherwise null. */
  final(clientFinal: string): string | null;
}

export function scramExchange(verifier: ScramVerifier): ScramExchange {
  let clientFirstBare = "";
  let serverFirst = "";
  let nonce = "";
  let gs2Header = "";
  return {
    first(clientFirst) {
      // gs2-header "n,," (or "y,,": client could bind but thinks we cannot), then "n=user,r=nonce".
      const match = /^([ny]),([^,]*),(n=[^,]*,r=([^,]+)(?:,.*)?)$/.exec(clientFirst);
      if (!match || match[2] !== "") return { error: "malformed SCRAM client-first-message" };
      gs2Header = `${match[1]!},,`;
      clientFirstBare = match[3]!;
      nonce = match[4]! + randomBytes(18).toString("base64");
      serverFirst = `r=${nonce},s=${verifier.salt.toString("base64")},i=${verifier.iterations}`;
      return { serverFirst };
    },
    final(clientFinal) {
      const match = /^(c=([^,]*),r=([^,]*)(?:,[^p][^,]*)*),p=([A-Za-z0-9+/=]+)$/.exec(clientFinal);
      if (!match || !serverFirst) return null;
      const [, withoutProof, binding, finalNonce, proofText] = match;
      if (binding !== Buffer.from(gs2Header).toString("base64") || finalNonce !== nonce) return null;
      const authMessage = `${clientFirstBare},${serverFirst},${withoutProof!}`;
      const proof = Buffer.from(proofText!, "base64");
      if (proof.length !== 32) return null;
      const signature = hmac(verifier.storedKey, authMessage);
      const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]!));
      const ok = timingSafeEqual(createHash("sha256").update(clientKey).digest(), verifier.storedKey);
      serverFirst = ""; // one try per exchange
      return ok ? `v=${hmac(verifier.serverKey, authMessage).toString("base64")}` : null;
    },
  };
}
