import type { Locale } from '$lib/paraglide/runtime';
import type { Me } from '$lib/server/accounts/index.js';

declare global {
  namespace App {
    interface Locals {
      /** The request's language, from the URL prefix (or negotiated, for the few unprefixed requests). */
      locale: Locale;
      /** The signed-in account, or null; looked up once per request, only when a session cookie is present. */
      user: Me | null;
    }
    interface PageData {
      user?: Me | null;
    }
    interface Error {
      message: string;
    }
  }
}

export {};
