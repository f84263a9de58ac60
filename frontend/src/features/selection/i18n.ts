/**
 * Strings of the selection center (选品中心), registered as their own i18next namespace. Each
 * screen's words, Chinese and English side by side, live in ./i18n/ (search, common, plans,
 * samples, sessions, picks); this module composes them into one bundle per language.
 * `useSelectionT` gives a `t` typed against the Chinese bundle.
 */
import { useTranslation } from 'react-i18next';
import i18n from '@/i18n';
import * as common from './i18n/common';
import * as picks from './i18n/picks';
import * as plans from './i18n/plans';
import * as samples from './i18n/samples';
import * as search from './i18n/search';
import * as sessions from './i18n/sessions';
import type { Widen } from './i18n/types';

export const NS = 'selection';

const zh = {
  ...search.zh,
  ...common.zh,
  ...plans.zh,
  ...samples.zh,
  ...sessions.zh,
  ...picks.zh,
};

export type SelectionResources = typeof zh;

const en: Widen<SelectionResources> = {
  ...search.en,
  ...common.en,
  ...plans.en,
  ...samples.en,
  ...sessions.en,
  ...picks.en,
};

i18n.addResourceBundle('zh', NS, zh, true, true);
i18n.addResourceBundle('en', NS, en, true, true);

type Path<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Path<T[K]>}`;
}[keyof T & string];
export type SelectionKey = Path<SelectionResources>;
export type SelectionT = (key: SelectionKey, options?: Record<string, unknown>) => string;

type UntypedT = (key: string, options?: Record<string, unknown>) => string;

/** `t` for this feature's namespace; re-renders on a language switch like useTranslation. */
export function useSelectionT(): { t: SelectionT; language: 'zh' | 'en' } {
  const { i18n: instance } = useTranslation();
  const translate = instance.t.bind(instance) as unknown as UntypedT;
  return {
    t: (key, options) => translate(key, { ...options, ns: NS }),
    language: instance.language === 'en' ? 'en' : 'zh',
  };
}

/** A label from one of the groups, or the value as sent when there is none. */
export function labelOf(
  t: SelectionT,
  group:
    | 'priceBand'
    | 'commissionBand'
    | 'planType'
    | 'status'
    | 'sort'
    | 'approval'
    | 'planValidity'
    | 'versionStatus'
    | 'applicationState'
    | 'sampleState'
    | 'pickState'
    | 'sessionState'
    | 'contentKind',
  value: string,
): string {
  return t(`${group}.${value}` as SelectionKey, { defaultValue: value }) || value;
}
