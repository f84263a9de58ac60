/**
 * Strings of the settlement pages (结算, 付款, 垫付, 订单导入, 我的收益), registered as their own
 * i18next namespace. The strings live by screen in `./strings/` (each module's English has its
 * Chinese keys, checked by `Widen`); this module assembles the two bundles. `useSettlementT` gives
 * a `t` typed against the Chinese bundle.
 */
import { useTranslation } from 'react-i18next';
import i18n from '@/i18n';
import { enumLabel } from '@/i18n/labels';
import { en as commonEn, zh as commonZh } from './strings/common';
import { en as runsEn, zh as runsZh } from './strings/runs';
import { en as statementsEn, zh as statementsZh } from './strings/statements';
import { en as importsEn, zh as importsZh } from './strings/imports';
import { en as contractsEn, zh as contractsZh } from './strings/contracts';
import { en as payeesEn, zh as payeesZh } from './strings/payees';
import type { Widen } from './strings/widen';

export const NS = 'settlement';

const zh = {
  title: '结算',
  ...commonZh,
  ...runsZh,
  ...statementsZh,
  ...importsZh,
  ...contractsZh,
  ...payeesZh,
};

export type SettlementResources = typeof zh;

const en: Widen<SettlementResources> = {
  title: 'Settlement',
  ...commonEn,
  ...runsEn,
  ...statementsEn,
  ...importsEn,
  ...contractsEn,
  ...payeesEn,
};

i18n.addResourceBundle('zh', NS, zh, true, true);
i18n.addResourceBundle('en', NS, en, true, true);

/** Both bundles, for the test that every key exists in both languages. */
export const BUNDLES = { zh, en } as const;

type Path<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Path<T[K]>}`;
}[keyof T & string];
export type SettlementKey = Path<SettlementResources>;
export type SettlementT = (key: SettlementKey, options?: Record<string, unknown>) => string;
export type Language = 'zh' | 'en';

type UntypedT = (key: string, options?: Record<string, unknown>) => string;

/** `t` for this feature's namespace; re-renders on a language switch like useTranslation. */
export function useSettlementT(): { t: SettlementT; language: Language } {
  const { i18n: instance } = useTranslation();
  const translate = instance.t.bind(instance) as unknown as UntypedT;
  return {
    t: (key, options) => translate(key, { ...options, ns: NS }),
    language: instance.language === 'en' ? 'en' : 'zh',
  };
}

export type EnumGroup = keyof SettlementResources['enums'];

/** Label of a backend enum value; unknown values show as sent. */
export function enumText(t: SettlementT, group: EnumGroup, value: string): string {
  const key = `enums.${group}.${value}` as SettlementKey;
  return t(key, { defaultValue: value }) || value;
}

/** What a statement's payee is: 品牌商 / MCN 机构 / 服务商 for an organization, 主播 for an anchor. */
export function payeeTypeText(
  t: SettlementT,
  statement: { payee_kind: string; payee_org_kind?: string | null },
): string {
  if (statement.payee_kind === 'organization' && statement.payee_org_kind) {
    return enumLabel(i18n.t.bind(i18n), 'orgKind', statement.payee_org_kind);
  }
  return enumText(t, 'payeeKind', statement.payee_kind);
}
