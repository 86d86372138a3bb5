import nextPlugin from "@next/eslint-plugin-next";
import tseslint from "typescript-eslint";

/**
 * Type-aware rules plus the import-direction rule of the architecture:
 * app -> components -> lib use cases -> lib rules. Domain code never reaches outward.
 */
const outwardFromLib = [
  { group: ["@/app/*", "@/app"], message: "lib/ must not import app/ (imports point inward)." },
  { group: ["@/components/*"], message: "lib/ must not import components/ (imports point inward)." },
  { group: ["react", "react-dom", "next", "next/*"], message: "lib/ is framework-free: no React or Next." },
];

const frameworkAdapters = [
  { group: ["@prisma/*", "@/lib/db/generated/*"], message: "Only lib/db and *.repository.ts touch Prisma." },
  { group: ["viem", "viem/*", "@cosmjs/*"], message: "Chains are reached through lib/chain adapters." },
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".data/**",
      "lib/db/generated/**",
      "test-results/**",
      "playwright-report/**",
      "artifacts/**",
      "next-env.d.ts",
      "**/*.js",
      "**/*.mjs",
      "**/*.cjs",
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@next/next": nextPlugin },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/only-throw-error": "off",
    },
  },
  {
    files: ["lib/**/*.ts"],
    ignores: ["lib/db/**", "lib/**/*.repository.ts", "lib/auth/**", "lib/chain/**", "lib/**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [...outwardFromLib, ...frameworkAdapters] }] },
  },
  {
    files: ["lib/db/**/*.ts", "lib/**/*.repository.ts", "lib/auth/**/*.ts", "lib/chain/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: outwardFromLib.slice(0, 2) }] },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/app/*"], message: "components/ must not import app/ (imports point inward)." },
            ...frameworkAdapters,
            { group: ["@/lib/db", "@/lib/db/*"], message: "Components reach data through lib use cases." },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    // The API's edge translates database errors and keeps idempotency records.
    ignores: ["app/api/v1/_lib/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...frameworkAdapters,
            { group: ["@/lib/db", "@/lib/db/*", "@/lib/**/*.repository"], message: "Pages and routes call use cases, not the database." },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.test.ts", "tests/**/*.ts", "scripts/**/*.ts", "prisma/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
);
