import { dispatchApi } from "../_routes";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = dispatchApi;
export const POST = dispatchApi;
export const PUT = dispatchApi;
export const DELETE = dispatchApi;
export const PATCH = dispatchApi;
