import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";

export const dynamic = "force-dynamic";

type RouteHandler = (
  request: Request,
  context: { params: Promise<{ nextauth: string[] }> },
) => Promise<Response>;

function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  return (NextAuth(authOptions()) as RouteHandler)(request, context);
}

export { handler as GET, handler as POST };
