import type { FormInstance } from 'antd';
import { ApiError } from '@/api/client';
import { FieldApiError } from './payload';

/** "lines[0].unit_price" → ["lines", 0, "unit_price"] (antd's name path). */
export function namePath(path: string): (string | number)[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Put the backend's per-field messages on the form's fields; return the messages no field
 * of the form shows (to display above the form).
 */
export function applyServerErrors(form: FormInstance, error: unknown, known: string[][]): string[] {
  if (!(error instanceof FieldApiError)) {
    return [error instanceof ApiError ? error.message : String(error)];
  }
  const rest: string[] = [];
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  const isKnown = (name: (string | number)[]) =>
    known.some(
      (pattern) =>
        pattern.length === name.length &&
        pattern.every((part, i) => part === '*' || part === String(name[i])),
    );
  for (const [path, messages] of Object.entries(error.fields)) {
    const name = namePath(path);
    if (path !== 'detail' && isKnown(name)) fields.push({ name, errors: messages });
    else rest.push(...messages);
  }
  if (fields.length > 0) form.setFields(fields);
  if (rest.length === 0 && fields.length === 0 && error.detail) rest.push(error.detail);
  return [...new Set(rest)];
}

/** The fields of PickLines, for applyServerErrors. */
export const PICK_LINE_FIELDS = [
  ['lines', '*', 'stock_item'],
  ['lines', '*', 'quantity'],
];
