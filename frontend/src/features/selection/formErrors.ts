import type { FormInstance } from 'antd';
import { SelectionApiError } from './api';
import type { SelectionT } from './i18n';
import { describeError, fieldOf } from './workbench';

/** The error lines of an API error, each naming the field at fault. */
export function errorLines(error: unknown, t: SelectionT, language: 'zh' | 'en') {
  return describeError(error, t as Parameters<typeof describeError>[1], language);
}

/** Put the backend's per-field messages on the form's own fields too (when it has them). */
export function markFormErrors(
  form: FormInstance,
  error: unknown,
  language: 'zh' | 'en',
  formFields: Record<string, (string | number)[]>,
): void {
  if (!(error instanceof SelectionApiError)) return;
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  for (const [path, messages] of Object.entries(error.fields)) {
    const name = formFields[path] ?? formFields[path.replace(/\[\d+\]/g, '[*]')];
    if (!name) continue;
    const line = fieldOf(path).line;
    const resolved = name.map((part) => (part === '*' && line !== null ? line - 1 : part));
    fields.push({
      name: resolved,
      errors: messages.map((m) =>
        m.includes(' / ') ? m.split(' / ')[language === 'zh' ? 0 : 1] : m,
      ),
    });
  }
  if (fields.length > 0) form.setFields(fields);
}
