"use client";

import {
  useCallback,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type Ref,
} from "react";
import type { SdlProblem } from "./post-deployment-result";

/** Fixed metrics, so the gutter's numbers and the problem bands line up with the textarea's lines. */
const LINE_PX = 20;
const PAD_PX = 12;
const INDENT = "  ";

export interface SdlEditorHandle {
  /** Focuses the editor with the caret at the end of `line` (1-based), scrolled into view. */
  jumpTo: (line: number) => void;
}

/** The 1-based line of a text offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1))
    line++;
  return line;
}

/** [start, end) offsets of a 1-based line, end before its newline. */
function lineRange(text: string, line: number): [number, number] {
  let start = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf("\n", start);
    if (next === -1) break;
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return [start, end === -1 ? text.length : end];
}

/**
 * A plain monospace editor for SDL: line numbers kept in step with the text as it scrolls,
 * problem lines marked red in the gutter and behind the text, the problem under the caret
 * spelled out below, and a list of every problem that moves the caret to its line.
 */
export function SdlEditor({
  value,
  onChange,
  problems,
  stale = false,
  ref,
}: {
  value: string;
  onChange: (value: string) => void;
  problems: SdlProblem[];
  /** The problems are for an older text (typing has not paused yet): shown dimmed. */
  stale?: boolean;
  ref?: Ref<SdlEditorHandle>;
}) {
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const gutterRef = useRef<HTMLDivElement>(null);
  const bandsRef = useRef<HTMLDivElement>(null);
  const tabLeaves = useRef(false);
  const [caret, setCaret] = useState({ line: 1, column: 1 });

  const lineCount = useMemo(() => {
    let count = 1;
    for (let index = value.indexOf("\n"); index !== -1; index = value.indexOf("\n", index + 1)) count++;
    return count;
  }, [value]);
  const numbers = useMemo(
    () => Array.from({ length: lineCount }, (_, index) => index + 1).join("\n"),
    [lineCount],
  );
  const problemsByLine = useMemo(() => {
    const byLine = new Map<number, SdlProblem[]>();
    for (const problem of problems) {
      const line = Math.min(Math.max(problem.line, 1), lineCount);
      byLine.set(line, [...(byLine.get(line) ?? []), problem]);
    }
    return byLine;
  }, [problems, lineCount]);

  const syncScroll = useCallback(() => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    const shift = `translateY(${-textarea.scrollTop}px)`;
    if (gutterRef.current) gutterRef.current.style.transform = shift;
    if (bandsRef.current) bandsRef.current.style.transform = shift;
  }, []);

  useLayoutEffect(syncScroll, [value, syncScroll]);

  const trackCaret = useCallback(() => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    const position = textarea.selectionStart;
    const line = lineAt(textarea.value, position);
    const lineStart = position === 0 ? 0 : textarea.value.lastIndexOf("\n", position - 1) + 1;
    setCaret({ line, column: position - lineStart + 1 });
  }, []);

  const jumpTo = useCallback(
    (line: number) => {
      const textarea = textareaRef.current;
      if (!textarea) return;
      const [, end] = lineRange(textarea.value, line);
      textarea.focus({ preventScroll: true });
      textarea.setSelectionRange(end, end);
      textarea.scrollTop = Math.max(0, (line - 1) * LINE_PX - textarea.clientHeight / 2 + LINE_PX);
      syncScroll();
      textarea.scrollIntoView({ block: "nearest", behavior: "smooth" });
      trackCaret();
    },
    [syncScroll, trackCaret],
  );

  useImperativeHandle(ref, () => ({ jumpTo }), [jumpTo]);

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Escape") {
      tabLeaves.current = true;
      return;
    }
    if (event.key === "Tab" && !event.shiftKey && !event.altKey && !event.metaKey && !event.ctrlKey) {
      if (tabLeaves.current) {
        tabLeaves.current = false;
        return;
      }
      event.preventDefault();
      // execCommand keeps the browser's undo history; setRangeText is the fallback.
      if (!document.execCommand("insertText", false, INDENT)) {
        const textarea = event.currentTarget;
        textarea.setRangeText(INDENT, textarea.selectionStart, textarea.selectionEnd, "end");
        onChange(textarea.value);
      }
      return;
    }
    tabLeaves.current = false;
  }

  const caretProblems = problemsByLine.get(caret.line) ?? [];
  const gutterWidth = `${String(lineCount).length + 2.5}ch`;
  const marks = [...problemsByLine.entries()];

  return (
    <div>
      <div
        className={`relative flex h-80 overflow-hidden rounded-lg bg-white font-mono text-[13px] ring-1 sm:h-[28rem] lg:h-[32rem] ${
          problems.length > 0 && !stale ? "ring-red-300" : "ring-slate-300"
        } focus-within:ring-2 focus-within:ring-brand-600`}
        style={{ lineHeight: `${LINE_PX}px` }}
      >
        <div
          aria-hidden
          className="relative shrink-0 overflow-hidden border-r border-slate-200 bg-slate-50 text-right text-slate-400 select-none"
          style={{ width: gutterWidth }}
        >
          <div ref={gutterRef} className="relative will-change-transform" style={{ paddingTop: PAD_PX }}>
            <pre className="pr-2 font-mono">{numbers}</pre>
            {marks.map(([line, lineProblems]) => (
              <span
                key={line}
                data-testid="gutter-problem"
                data-line={line}
                title={lineProblems.map((problem) => problem.message).join("\n")}
                className={`absolute inset-x-0 border-l-[3px] border-red-500 bg-red-100 pr-2 font-semibold text-red-700 ${stale ? "opacity-50" : ""}`}
                style={{ top: PAD_PX + (line - 1) * LINE_PX, height: LINE_PX }}
              >
                {line}
              </span>
            ))}
          </div>
        </div>
        <div className="relative min-w-0 flex-1">
          <div
            ref={bandsRef}
            aria-hidden
            className="pointer-events-none absolute inset-x-0 top-0 will-change-transform"
          >
            {marks.map(([line]) => (
              <div
                key={line}
                className={`absolute inset-x-0 bg-red-50 ${stale ? "opacity-50" : ""}`}
                style={{ top: PAD_PX + (line - 1) * LINE_PX, height: LINE_PX }}
              />
            ))}
          </div>
          <textarea
            ref={textareaRef}
            value={value}
            onChange={(event) => onChange(event.target.value)}
            onScroll={syncScroll}
            onKeyDown={onKeyDown}
            onSelect={trackCaret}
            onClick={trackCaret}
            aria-label="SDL (YAML)"
            aria-invalid={problems.length > 0 && !stale ? true : undefined}
            aria-describedby="sdl-caret-status"
            wrap="off"
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            autoCorrect="off"
            placeholder={'version: "2.0"\nservices:\n  …'}
            className="absolute inset-0 h-full w-full resize-none overflow-auto whitespace-pre bg-transparent px-3 text-slate-900 caret-slate-900 outline-none placeholder:text-slate-300"
            style={{ paddingTop: PAD_PX, paddingBottom: PAD_PX, tabSize: 2 }}
          />
        </div>
      </div>
      <div
        id="sdl-caret-status"
        className="mt-1.5 flex min-h-5 flex-wrap items-start justify-between gap-x-4 gap-y-1 text-xs"
      >
        <p
          className={caretProblems.length > 0 && !stale ? "text-red-700" : "text-slate-500"}
          aria-live="polite"
        >
          {caretProblems.length > 0 && !stale ? (
            <>
              <span className="font-semibold">Line {caret.line}:</span>{" "}
              {caretProblems.map((problem) => problem.message).join("; ")}
            </>
          ) : (
            <span className="tabular-nums">
              Ln {caret.line}, Col {caret.column} · {lineCount} {lineCount === 1 ? "line" : "lines"}
            </span>
          )}
        </p>
        <p className="hidden text-slate-400 sm:block">Tab indents · Esc then Tab leaves the editor</p>
      </div>
    </div>
  );
}

/** Every problem as "Line 31 · path — message"; choosing one puts the caret on that line. */
export function SdlProblemList({
  problems,
  onPick,
  stale = false,
}: {
  problems: SdlProblem[];
  onPick: (line: number) => void;
  stale?: boolean;
}) {
  if (problems.length === 0) return null;
  return (
    <div
      role="alert"
      className={`rounded-lg bg-red-50 px-3 py-2.5 ring-1 ring-inset ring-red-200 ${stale ? "opacity-60" : ""}`}
    >
      <p className="text-sm font-semibold text-red-800">
        {problems.length === 1 ? "1 problem" : `${problems.length} problems`} in the SDL
      </p>
      <ol className="mt-1.5 space-y-1" aria-label="SDL problems">
        {problems.map((problem, index) => (
          <li key={`${problem.line}:${problem.path}:${index}`}>
            <button
              type="button"
              onClick={() => onPick(problem.line)}
              data-testid="sdl-problem"
              className="w-full rounded-md px-1.5 py-1 text-left text-sm text-red-800 hover:bg-red-100 focus-visible:outline-2 focus-visible:outline-red-600"
            >
              <span className="font-semibold tabular-nums">Line {problem.line}</span>
              {problem.path && (
                <>
                  {" · "}
                  <code className="break-all font-mono text-xs text-red-700">{problem.path}</code>
                </>
              )}
              {" — "}
              {problem.message}
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}
