import { describe, expect, it } from "vitest";
import { workloadEnvOf } from "./workload-env";

describe("workloadEnvOf", () => {
  it("keeps the manifest's variables, values with '=' and empty ones included", () => {
    expect(workloadEnvOf(["GREETING=hello", "TOKEN=a=b=c", "EMPTY=", "BARE"])).toEqual({
      env: { GREETING: "hello", TOKEN: "a=b=c", EMPTY: "", BARE: "" },
      ignored: [],
    });
  });

  it("leaves out what steers node, libuv, OpenSSL or the loader, and names it once", () => {
    const { env, ignored } = workloadEnvOf([
      "NODE_OPTIONS=--import=data:text/javascript,process.exit(42)",
      "NODE_PATH=/tmp/evil",
      "NODE_EXTRA_CA_CERTS=/tmp/ca.pem",
      "node_options=--require=/tmp/evil.js",
      "LD_PRELOAD=/tmp/evil.so",
      "LD_LIBRARY_PATH=/tmp",
      "DYLD_INSERT_LIBRARIES=/tmp/evil.dylib",
      "UV_THREADPOOL_SIZE=1",
      "OPENSSL_CONF=/tmp/openssl.cnf",
      "GLIBC_TUNABLES=glibc.malloc.check=3",
      "GCONV_PATH=/tmp",
      "SSL_CERT_FILE=/tmp/ca.pem",
      "NODE_OPTIONS=--inspect",
      "MODEL=llama",
      "NODENAME=gpu-1",
    ]);
    expect(env).toEqual({ MODEL: "llama", NODENAME: "gpu-1" });
    expect(ignored).toEqual([
      "NODE_OPTIONS",
      "NODE_PATH",
      "NODE_EXTRA_CA_CERTS",
      "node_options",
      "LD_PRELOAD",
      "LD_LIBRARY_PATH",
      "DYLD_INSERT_LIBRARIES",
      "UV_THREADPOOL_SIZE",
      "OPENSSL_CONF",
      "GLIBC_TUNABLES",
      "GCONV_PATH",
      "SSL_CERT_FILE",
    ]);
  });
});
