/** Field errors from the API ({"errors": {"password": ["…"]}}) placed next to their fields. */
export function fieldErrors(body: unknown): { name: string; errors: string[] }[] {
  if (!body || typeof body !== 'object' || !('errors' in body)) return [];
  const errors = (body as { errors: unknown }).errors;
  if (!errors || typeof errors !== 'object') return [];
  return Object.entries(errors as Record<string, unknown>)
    .filter(([, messages]) => Array.isArray(messages))
    .map(([name, messages]) => ({ name, errors: (messages as unknown[]).map(String) }));
}
