"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { buildSiweMessage, checksumAddress, personalSignPayload } from "@/lib/auth/siwe-message";
import { Button } from "@/components/ui/button";
import { signInErrorMessage } from "./sign-in-errors";

interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

function injectedWallet(): Eip1193Provider | null {
  const candidate = (window as unknown as { ethereum?: Eip1193Provider }).ethereum;
  return candidate && typeof candidate.request === "function" ? candidate : null;
}

function walletErrorMessage(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 4001) return "You declined the request in your wallet.";
  if (code === -32002) return "Your wallet already has a pending request; open it to continue.";
  return "Your wallet could not sign the message. Please try again.";
}

/**
 * Sign-In with Ethereum (EIP-4361): the wallet signs a message naming this site, a fresh
 * server nonce and the wallet's chain; the server verifies it and signs the account in
 * (creating a tenant account the first time).
 */
export function EthereumSignInButton({ callbackUrl }: { callbackUrl: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [noWallet, setNoWallet] = useState(false);
  const [pending, setPending] = useState(false);

  async function signInWithWallet() {
    setError(null);
    const wallet = injectedWallet();
    if (!wallet) {
      setNoWallet(true);
      return;
    }
    setPending(true);
    try {
      const accounts = (await wallet.request({ method: "eth_requestAccounts" })) as string[];
      const address = checksumAddress(accounts[0] ?? "");
      if (!address) {
        setError("Your wallet did not share an account. Unlock it and try again.");
        return;
      }
      const chainId = Number(BigInt((await wallet.request({ method: "eth_chainId" })) as string));
      const nonceResponse = await fetch("/api/auth/siwe-nonce", { cache: "no-store" });
      if (!nonceResponse.ok) {
        setError("Could not start wallet sign-in. Please try again.");
        return;
      }
      const { nonce } = (await nonceResponse.json()) as { nonce: string };
      const message = buildSiweMessage({
        domain: window.location.host,
        uri: window.location.origin,
        address,
        chainId,
        nonce,
      });
      let signature: string;
      try {
        signature = (await wallet.request({
          method: "personal_sign",
          params: [personalSignPayload(message), address],
        })) as string;
      } catch (walletError) {
        setError(walletErrorMessage(walletError));
        return;
      }
      const result = await signIn("siwe", { message, signature, redirect: false });
      if (!result || result.error || !result.ok) {
        setError(
          result?.error === "CredentialsSignin"
            ? "The signature could not be verified. Please try again."
            : signInErrorMessage(result?.error ?? "Default"),
        );
        return;
      }
      window.location.assign(
        callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-in",
      );
    } catch (walletError) {
      setError(walletErrorMessage(walletError));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-2">
      <Button
        variant="secondary"
        className="w-full"
        disabled={pending}
        onClick={() => void signInWithWallet()}
      >
        <svg aria-hidden viewBox="0 0 24 24" className="h-4 w-4" fill="currentColor">
          <path d="M12 1.5 5.25 12.3 12 16.2l6.75-3.9L12 1.5Zm0 16.05-6.75-3.9L12 22.5l6.75-8.85-6.75 3.9Z" />
        </svg>
        {pending ? "Waiting for your wallet…" : "Sign in with Ethereum"}
      </Button>
      {noWallet && (
        <p role="alert" className="text-sm text-slate-600">
          Wallet sign-in needs an Ethereum wallet in this browser, such as MetaMask, Rabby or Coinbase Wallet.
          Install one (or open this page in your wallet&apos;s browser), then try again — or use your email
          and password.
        </p>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
