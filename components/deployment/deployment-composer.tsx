"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition, type ChangeEvent, type ReactNode } from "react";
import { OrderResources } from "@/components/market/order-resources";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, TextInput } from "@/components/ui/field";
import { Switch } from "@/components/ui/switch";
import { perHour } from "@/lib/format";
import { formatBytes, formatUsdDisplay, tryParseUsd } from "@/lib/money";
import { MAX_SDL_BYTES } from "@/lib/sdl/limits";
import type { PostDeploymentInput, PostDeploymentResult, SdlProblem } from "./post-deployment-result";
import { SdlEditor, SdlProblemList, type SdlEditorHandle } from "./sdl-editor";
import { SdlFormBuilder } from "./sdl-form-builder";
import { Spinner } from "./spinner";
import { TemplateGallery, type TemplateCard } from "./template-gallery";
import { useSdlCheck, utf8Bytes, type SdlCheckState, type SdlVerdict } from "./use-sdl-check";

type Start = "templates" | "form" | "blank";

const STARTS: { value: Start; label: string }[] = [
  { value: "templates", label: "Templates" },
  { value: "form", label: "Build with a form" },
  { value: "blank", label: "Blank or upload" },
];

const MAX_AUTO_ACCEPT_SECONDS = 3_600;

interface Loaded {
  /** "Template: Llama 3.1 8B Instruct on vLLM", "Built with the form", "deploy.yaml". */
  label: string;
  text: string;
  slug: string | null;
  suggestedName: string;
}

type Failure = Extract<PostDeploymentResult, { ok: false }> & { sdl: string };

function verdictOf(state: SdlCheckState): SdlVerdict | null {
  if (state.status === "checked") return state.verdict;
  if (state.status === "checking" || state.status === "failed") return state.last;
  return null;
}

function shortHash(hash: string): string {
  return `${hash.slice(0, 8)}…`;
}

/**
 * "New deployment": pick a start (template, form, blank or a file), edit the SDL with a live
 * check, see the orders it will open, set the options, and post. Nothing typed is lost when
 * the server refuses: its problems are marked in the editor like the live check's.
 */
export function DeploymentComposer({
  templates,
  defaultAutoAcceptSeconds,
  action,
}: {
  templates: TemplateCard[];
  defaultAutoAcceptSeconds: number;
  action: (input: PostDeploymentInput) => Promise<PostDeploymentResult>;
}) {
  const router = useRouter();
  const [start, setStart] = useState<Start>("templates");
  const [sdl, setSdl] = useState("");
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [name, setName] = useState("");
  // Opt-in, as in the API: the tenant chooses the bid unless they turn this on.
  const [autoAccept, setAutoAccept] = useState(false);
  const [autoAcceptSeconds, setAutoAcceptSeconds] = useState(String(defaultAutoAcceptSeconds));
  const [prices, setPrices] = useState<Record<string, string>>({});
  const [localFields, setLocalFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [posting, startPosting] = useTransition();
  const editor = useRef<SdlEditorHandle>(null);
  const editorSection = useRef<HTMLElement>(null);
  const { state: check, stale } = useSdlCheck(sdl);

  const verdict = verdictOf(check);
  const serverProblems = failure && failure.sdl === sdl ? failure.sdlProblems : [];
  const problems: SdlProblem[] = serverProblems.length > 0 ? serverProblems : (verdict?.errors ?? []);
  const knownInvalid = !stale && check.status === "checked" && !check.verdict.valid;
  const fields = { ...(failure?.fields ?? {}), ...localFields };
  const orders = verdict?.valid ? verdict.orders : [];
  // A refusal that points into the SDL stops applying once the SDL is edited; the live check takes over.
  const failureMessage =
    failure && (failure.sdl === sdl || failure.sdlProblems.length === 0) ? failure.error : null;

  function load(next: Omit<Loaded, "text">, text: string) {
    const dirty = sdl.trim() !== "" && sdl !== loaded?.text;
    if (dirty && !window.confirm("Replace the SDL in the editor? Your changes to it will be lost.")) return;
    setSdl(text);
    setLoaded({ ...next, text });
    setFailure(null);
    setPrices({});
    if (name.trim() === "" || name === loaded?.suggestedName) setName(next.suggestedName);
    requestAnimationFrame(() =>
      editorSection.current?.scrollIntoView({ behavior: "smooth", block: "start" }),
    );
  }

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_SDL_BYTES) {
      setFileError(
        `${file.name} is ${formatBytes(BigInt(file.size))}; an SDL can be at most ${formatBytes(BigInt(MAX_SDL_BYTES))}.`,
      );
      return;
    }
    try {
      load({ label: file.name, slug: null, suggestedName: "" }, await file.text());
    } catch {
      setFileError(`${file.name} could not be read.`);
    }
  }

  function validateOptions(): Record<string, string> {
    const errors: Record<string, string> = {};
    if (autoAccept) {
      const seconds = autoAcceptSeconds.trim();
      if (!/^\d+$/.test(seconds) || Number(seconds) < 1 || Number(seconds) > MAX_AUTO_ACCEPT_SECONDS) {
        errors.autoAcceptSeconds = `Must be a whole number of seconds from 1 to ${MAX_AUTO_ACCEPT_SECONDS}`;
      }
    }
    for (const order of orders) {
      const price = prices[order.groupName]?.trim() ?? "";
      if (price !== "" && !tryParseUsd(price)) {
        errors[`maxPricePerHour.${order.groupName}`] =
          'Must be dollars per hour like "2.50", up to 6 decimals';
      }
    }
    if (name.length > 80) errors.name = "Must be at most 80 characters";
    return errors;
  }

  function post() {
    const errors = validateOptions();
    setLocalFields(errors);
    if (Object.keys(errors).length > 0) return;
    const maxPricePerHour: Record<string, string> = {};
    for (const order of orders) {
      const price = prices[order.groupName]?.trim();
      if (price) maxPricePerHour[order.groupName] = price;
    }
    const input: PostDeploymentInput = {
      sdl,
      ...(name.trim() ? { name: name.trim() } : {}),
      autoAccept,
      ...(autoAccept ? { autoAcceptSeconds: Number(autoAcceptSeconds.trim()) } : {}),
      maxPricePerHour,
    };
    const posted = sdl;
    startPosting(async () => {
      try {
        const result = await action(input);
        if (result.ok) {
          router.push(`/tenant/deployments/${encodeURIComponent(result.id)}`);
          return;
        }
        setFailure({ ...result, sdl: posted });
        const first = result.sdlProblems[0];
        if (first) requestAnimationFrame(() => editor.current?.jumpTo(first.line));
      } catch {
        const tooBig = utf8Bytes(posted) > 900 * 1024;
        setFailure({
          ok: false,
          error: tooBig
            ? "This SDL is too large to post from the browser. Trim comments or unused services, or post it with the REST API (POST /api/v1/deployments)."
            : "Could not reach Bidcloud. Check your connection and try again; your SDL is still here.",
          fields: {},
          sdlProblems: [],
          sdl: posted,
        });
      }
    });
  }

  const blockedBy =
    sdl.trim() === ""
      ? "Write or load an SDL first."
      : check.status === "too-large" && !stale
        ? `The SDL is over the ${formatBytes(BigInt(MAX_SDL_BYTES))} limit.`
        : knownInvalid
          ? "Fix the problems in the SDL to post."
          : null;

  return (
    <div className="space-y-6">
      <Card
        title="Start from"
        description="A template, a short form, or your own SDL. You can edit the result before posting."
        actions={
          <div
            role="group"
            aria-label="Start from"
            className="flex max-w-full gap-1 overflow-x-auto rounded-lg bg-slate-100 p-0.5"
          >
            {STARTS.map((option) => (
              <button
                key={option.value}
                type="button"
                aria-pressed={start === option.value}
                onClick={() => setStart(option.value)}
                className={`whitespace-nowrap rounded-md px-2.5 py-1 text-xs font-semibold ${
                  start === option.value
                    ? "bg-white text-slate-900 shadow-xs"
                    : "text-slate-600 hover:text-slate-900"
                }`}
              >
                {option.label}
              </button>
            ))}
          </div>
        }
      >
        {start === "templates" && (
          <TemplateGallery
            templates={templates}
            selected={loaded?.slug ?? null}
            onUse={(template) =>
              load(
                { label: `Template: ${template.name}`, slug: template.slug, suggestedName: template.name },
                template.sdl,
              )
            }
          />
        )}
        {start === "form" && (
          <SdlFormBuilder
            onGenerate={(text) => load({ label: "Built with the form", slug: null, suggestedName: "" }, text)}
          />
        )}
        {start === "blank" && (
          <div className="grid gap-3 sm:grid-cols-2">
            <div className="rounded-lg border border-dashed border-slate-300 p-4">
              <p className="text-sm font-semibold text-slate-900">Start blank</p>
              <p className="mt-1 text-xs text-slate-500">
                Type or paste an Akash SDL (v2.0 or v2.1). It is checked as you type.
              </p>
              <Button
                variant="secondary"
                size="sm"
                className="mt-3"
                onClick={() => {
                  load({ label: "Blank", slug: null, suggestedName: "" }, "");
                  requestAnimationFrame(() => editor.current?.jumpTo(1));
                }}
              >
                Empty the editor
              </Button>
            </div>
            <div className="rounded-lg border border-dashed border-slate-300 p-4">
              <label htmlFor="sdl-file" className="text-sm font-semibold text-slate-900">
                Upload a .yaml file
              </label>
              <p className="mt-1 text-xs text-slate-500">
                An Akash deploy.yaml of up to {formatBytes(BigInt(MAX_SDL_BYTES))}.
              </p>
              <input
                id="sdl-file"
                type="file"
                accept=".yaml,.yml,application/yaml,application/x-yaml,text/yaml,text/plain"
                onChange={(event) => void upload(event)}
                className="mt-3 block w-full text-xs text-slate-600 file:mr-3 file:rounded-md file:border-0 file:bg-white file:px-2.5 file:py-1.5 file:text-xs file:font-semibold file:text-slate-800 file:shadow-xs file:ring-1 file:ring-inset file:ring-slate-300 hover:file:bg-slate-50"
              />
              {fileError && (
                <p role="alert" className="mt-2 text-xs text-red-600">
                  {fileError}
                </p>
              )}
            </div>
          </div>
        )}
      </Card>

      <section
        ref={editorSection}
        aria-labelledby="sdl-title"
        className="scroll-mt-4 rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
      >
        <header className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
          <div className="min-w-0">
            <h2 id="sdl-title" className="text-base font-semibold text-slate-900">
              SDL
            </h2>
            <p className="mt-0.5 truncate text-sm text-slate-500">
              {loaded?.label && loaded.label !== "Blank"
                ? `${loaded.label}${sdl !== loaded.text ? " (edited)" : ""}`
                : "Akash SDL, checked as you type"}
            </p>
          </div>
          <CheckStatus state={check} stale={stale} serverProblems={serverProblems.length} />
        </header>
        <div className="space-y-3 px-4 py-4 sm:px-5">
          <SdlEditor
            ref={editor}
            value={sdl}
            onChange={setSdl}
            problems={problems}
            stale={stale && serverProblems.length === 0}
          />
          <SdlProblemList
            problems={problems}
            stale={stale && serverProblems.length === 0}
            onPick={(line) => editor.current?.jumpTo(line)}
          />
        </div>
      </section>

      <div className="grid gap-6 lg:grid-cols-5">
        <Card
          title="Orders it will open"
          description="One order per placement group. Providers bid at or under its max price."
          className="self-start lg:col-span-3"
        >
          {orders.length === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
              {verdict && !verdict.valid
                ? "Fix the SDL to see the orders it opens."
                : "The orders appear here once the SDL is valid."}
            </p>
          ) : (
            <ul className="-my-3 divide-y divide-slate-100" aria-label="Orders it will open">
              {orders.map((order) => {
                const key = `maxPricePerHour.${order.groupName}`;
                const sdlPrice = tryParseUsd(order.maxPricePerHour) ?? 0n;
                const override = tryParseUsd(prices[order.groupName]?.trim() ?? "");
                return (
                  <li
                    key={order.groupName}
                    data-testid="order-preview"
                    className="grid gap-3 py-3 sm:grid-cols-[1fr_11rem]"
                  >
                    <div className="min-w-0 text-sm">
                      <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">
                        Group {order.groupName}
                      </p>
                      <OrderResources
                        resources={order.resources}
                        count={order.count}
                        additionalUnits={order.additionalUnits}
                      />
                      <p className="mt-1 text-xs text-slate-500">
                        Max{" "}
                        <span className="font-semibold text-slate-900 tabular-nums">
                          {perHour(override ?? sdlPrice)}
                        </span>
                        {override !== null ? ` (SDL: ${perHour(sdlPrice)})` : " from the SDL"}
                      </p>
                    </div>
                    <Field
                      label="Override max price ($/hour)"
                      name={`price-${order.groupName}`}
                      error={fields[key]}
                      hint="Empty: the SDL's price."
                    >
                      <TextInput
                        name={`price-${order.groupName}`}
                        inputMode="decimal"
                        placeholder={formatUsdDisplay(sdlPrice).replace("$", "")}
                        value={prices[order.groupName] ?? ""}
                        onChange={(event) => setPrices({ ...prices, [order.groupName]: event.target.value })}
                        error={fields[key]}
                        autoComplete="off"
                      />
                    </Field>
                  </li>
                );
              })}
            </ul>
          )}
        </Card>

        <Card title="Options" className="self-start lg:col-span-2">
          <div className="space-y-5">
            <Field
              label="Deployment name"
              name="deployment-name"
              error={fields.name}
              hint="Optional. Defaults to the service names."
            >
              <TextInput
                name="deployment-name"
                value={name}
                onChange={(event) => setName(event.target.value)}
                maxLength={80}
                placeholder="e.g. llama-chat"
                autoComplete="off"
                error={fields.name}
              />
            </Field>
            <div>
              <Switch
                label="Auto-accept the cheapest bid"
                hintId="auto-accept-hint"
                hint={
                  autoAccept
                    ? "Bidcloud accepts the cheapest bid once the window below has passed."
                    : "Off: you choose a bid yourself on the deployment's page."
                }
                checked={autoAccept}
                onChange={(event) => setAutoAccept(event.target.checked)}
              />
              {autoAccept && (
                <div className="mt-3 pl-12">
                  <Field
                    label="Bidding window (seconds)"
                    name="auto-accept-seconds"
                    error={fields.autoAcceptSeconds}
                  >
                    <div className="max-w-28">
                      <TextInput
                        name="auto-accept-seconds"
                        inputMode="numeric"
                        value={autoAcceptSeconds}
                        onChange={(event) => setAutoAcceptSeconds(event.target.value)}
                        error={fields.autoAcceptSeconds}
                      />
                    </div>
                  </Field>
                </div>
              )}
            </div>
            <FormError message={failureMessage} />
            <div className="flex flex-col-reverse gap-2 border-t border-slate-100 pt-4 sm:flex-row sm:items-center sm:justify-end">
              <Link href="/tenant/deployments" className={buttonClasses("secondary")}>
                Cancel
              </Link>
              <Button onClick={post} disabled={posting || blockedBy !== null}>
                {posting ? "Posting…" : "Post deployment"}
              </Button>
            </div>
            {blockedBy && <p className="text-right text-xs text-slate-500">{blockedBy}</p>}
          </div>
        </Card>
      </div>
    </div>
  );
}

function CheckStatus({
  state,
  stale,
  serverProblems,
}: {
  state: SdlCheckState;
  stale: boolean;
  serverProblems: number;
}) {
  let content: ReactNode;
  let tone = "text-slate-500";
  if (serverProblems > 0) {
    tone = "text-red-700";
    content = `Refused · ${serverProblems === 1 ? "1 problem" : `${serverProblems} problems`}`;
  } else if (state.status === "empty") {
    content = "Empty";
  } else if (state.status === "too-large") {
    tone = "text-red-700";
    content = `${formatBytes(BigInt(state.bytes))} · over the ${formatBytes(BigInt(MAX_SDL_BYTES))} limit`;
  } else if (state.status === "failed") {
    tone = "text-amber-700";
    content = state.message;
  } else if (state.status === "checking" && !state.last) {
    content = "Checking…";
  } else {
    const verdict = state.status === "checked" ? state.verdict : state.last!;
    if (verdict.valid) {
      tone = "text-emerald-700";
      content = (
        <>
          Valid · {verdict.groups} placement {verdict.groups === 1 ? "group" : "groups"}
          {verdict.manifestVersion && (
            <>
              {" · manifest "}
              <code className="font-mono text-xs" title={verdict.manifestVersion}>
                {shortHash(verdict.manifestVersion)}
              </code>
            </>
          )}
        </>
      );
    } else {
      tone = "text-red-700";
      content = `${verdict.errors.length === 1 ? "1 problem" : `${verdict.errors.length} problems`}`;
    }
  }
  return (
    <p
      role="status"
      data-testid="sdl-status"
      className={`flex items-center gap-2 text-sm font-medium ${tone} ${stale && serverProblems === 0 ? "opacity-70" : ""}`}
    >
      {stale && serverProblems === 0 && state.status !== "empty" && <Spinner className="h-3.5 w-3.5" />}
      {state.status === "checked" && !stale && state.verdict.valid && (
        <span aria-hidden className="inline-block h-2 w-2 rounded-full bg-emerald-500" />
      )}
      <span>{content}</span>
    </p>
  );
}
