/**
 * The environment a local stand-in process gets from the manifest. The stand-in is a `node`
 * process on the provider's own host, not a container: a variable that steers node, libuv,
 * OpenSSL or the dynamic loader (NODE_OPTIONS=--import=data:..., LD_PRELOAD, ...) would run the
 * tenant's code there. Such names are left out, and reported so the tenant sees why.
 *
 * The stand-in reads no tenant value (it shows the names only), so dropping more is harmless.
 */
const RUNTIME_CONTROL_PREFIXES = ["NODE_", "LD_", "DYLD_", "UV_", "OPENSSL_", "MALLOC_", "GLIBC_"];
/** glibc loads code from GCONV_PATH; the SSL_CERT_ pair changes which TLS roots OpenSSL trusts. */
const RUNTIME_CONTROL_NAMES = new Set(["GCONV_PATH", "SSL_CERT_FILE", "SSL_CERT_DIR"]);

export function isRuntimeControlName(name: string): boolean {
  // Windows reads environment names case-insensitively.
  const upper = name.toUpperCase();
  return (
    RUNTIME_CONTROL_NAMES.has(upper) || RUNTIME_CONTROL_PREFIXES.some((prefix) => upper.startsWith(prefix))
  );
}

/** The manifest's "NAME=value" entries as an environment, and the names left out (in manifest order). */
export function workloadEnvOf(entries: readonly string[]): {
  env: Record<string, string>;
  ignored: string[];
} {
  const env: Record<string, string> = {};
  const ignored: string[] = [];
  for (const entry of entries) {
    const equals = entry.indexOf("=");
    const name = equals === -1 ? entry : entry.slice(0, equals);
    if (isRuntimeControlName(name)) {
      if (!ignored.includes(name)) ignored.push(name);
      continue;
    }
    env[name] = equals === -1 ? "" : entry.slice(equals + 1);
  }
  return { env, ignored };
}
