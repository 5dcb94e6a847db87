import { fail, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { ImportJob } from '$lib/server/transfer/index.js';
import { localizePath } from '$lib/web/locale';
import type { Actions } from './$types';

export interface UploadState {
  message: string;
  /** Why the API refused the file, in its words (English). */
  detail?: string;
}

export const actions: Actions = {
  /**
   * A plain multipart form post, so that it works without JavaScript; the file part goes on to the API as the body
   * of its upload. (Web uploads are capped by the server's BODY_SIZE_LIMIT; larger files go through the CLI.)
   */
  default: async (event) => {
    const data = await event.request.formData();
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0)
      return fail(422, { message: m.import_no_file() } satisfies UploadState);
    const name = encodeURIComponent(file.name.slice(0, 255) || 'upload.csv');
    const response = await event.fetch(`/api/imports/records?filename=${name}`, {
      method: 'POST',
      headers: { origin: event.url.origin, 'content-type': 'text/csv', accept: 'application/json' },
      body: file,
    });
    if (response.status !== 201) {
      const problem = (await response.json().catch(() => ({}))) as { detail?: string };
      return fail(response.status === 413 ? 413 : 422, {
        message: m.import_rejected(),
        detail: problem.detail,
      } satisfies UploadState);
    }
    const job = (await response.json()) as ImportJob;
    redirect(303, localizePath(`/workspace/import/${job.id}`, event.locals.locale));
  },
};
