import type { SubmitFunction } from '@sveltejs/kit';

/**
 * use:enhance options for forms whose values come from the page data: after success the form
 * keeps what is shown instead of resetting to the values of the first render.
 */
export const keepValues: SubmitFunction =
  () =>
  async ({ update }) => {
    await update({ reset: false });
  };
