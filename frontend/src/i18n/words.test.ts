/**
 * Every code a user can see has a label in both languages. The codes come from where the backend defines them
 * (backend/openapi.json's enums, the audit calls and journal sources in backend/shuxuan), so a new code without
 * a label fails here rather than showing up raw on a screen.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import i18n from '@/i18n';
import '@/features/catalog/i18n';
import '@/features/ledger/i18n';
import '@/features/reconciliation/i18n';
import '@/features/selection/i18n';
import '@/features/settlement/i18n';
import '@/features/supply/i18n';
import { SOURCE_TYPES } from '@/features/ledger/i18n';
import { payeeTypeText } from '@/features/settlement/i18n';
import { locationText } from '@/features/supply/i18n';
import { AUDIT_OBJECTS, AUDIT_VERBS, auditActionLabel, auditObjectText } from './auditActions';
import { ENUM_LABELS, UNLABELLED_ENUMS, enumValueText } from './enums';

const BACKEND = join(__dirname, '..', '..', '..', 'backend');
const NAMESPACES = [
  'translation',
  'catalog',
  'ledger',
  'reconciliation',
  'selection',
  'settlement',
  'supply',
  'enums',
];

function pythonSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return name === 'tests' || name === 'migrations' ? [] : pythonSources(path);
    }
    return name.endsWith('.py') ? [readFileSync(path, 'utf8')] : [];
  });
}

const SOURCES = pythonSources(join(BACKEND, 'shuxuan'));

function matches(pattern: RegExp): string[] {
  return [
    ...new Set(SOURCES.flatMap((text) => [...text.matchAll(pattern)].map((m) => (m[1] ?? m[2])!))),
  ].sort();
}

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) =>
    keyPaths(child, prefix ? `${prefix}.${key}` : key),
  );
}

const SCHEMAS = (
  JSON.parse(readFileSync(join(BACKEND, 'openapi.json'), 'utf8')) as {
    components: { schemas: Record<string, { enum?: (string | null)[] }> };
  }
).components.schemas;

function enumValues(name: string): string[] {
  return (SCHEMAS[name]?.enum ?? []).filter((v): v is string => typeof v === 'string');
}

/** Every enum of the API schema, by name. */
const SCHEMA_ENUMS = Object.keys(SCHEMAS)
  .filter((name) => Array.isArray(SCHEMAS[name]?.enum))
  .sort();

function labelIn(language: string, ns: string, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[key]
          : undefined,
      i18n.getResourceBundle(language, ns),
    );
}

describe('the zh and en resources', () => {
  it.each(NAMESPACES)('%s has the same keys in both languages', (ns) => {
    const zh = keyPaths(i18n.getResourceBundle('zh', ns)).sort();
    const en = keyPaths(i18n.getResourceBundle('en', ns)).sort();
    expect(zh.length).toBeGreaterThan(0);
    expect(en).toEqual(zh);
  });
});

describe('every enum of the API schema', () => {
  it('finds the enums in backend/openapi.json', () => {
    expect(SCHEMA_ENUMS.length).toBeGreaterThan(50);
    expect(SCHEMA_ENUMS).toEqual(
      expect.arrayContaining([
        'MovementKindEnum',
        'ChargeStateEnum',
        'MatchRuleKindEnum',
        'AttributionIssuesEnum',
        'ReservationStateEnum',
        'TransferStatusEnum',
      ]),
    );
    expect(enumValues('TransferStatusEnum')).toContain('reversed');
  });

  it('is labelled, or left out on purpose with a reason', () => {
    const unaccounted = SCHEMA_ENUMS.filter(
      (name) => !ENUM_LABELS[name] && !UNLABELLED_ENUMS[name],
    );
    expect(unaccounted).toEqual([]);
    // The lists name only enums that exist, and none is both labelled and left out.
    expect(Object.keys(ENUM_LABELS).filter((name) => !SCHEMAS[name])).toEqual([]);
    expect(
      Object.keys(UNLABELLED_ENUMS).filter((name) => !SCHEMAS[name] || ENUM_LABELS[name]),
    ).toEqual([]);
    expect(Object.values(UNLABELLED_ENUMS).every((reason) => reason.length > 10)).toBe(true);
  });

  it.each(['zh', 'en'])('has a %s label for every value', (language) => {
    const missing = Object.entries(ENUM_LABELS).flatMap(([name, { ns, key }]) =>
      enumValues(name)
        .filter((value) => {
          const label = labelIn(language, ns, `${key}.${value}`);
          return typeof label !== 'string' || !label.trim();
        })
        .map((value) => `${name}.${value} (${ns}:${key})`),
    );
    expect(missing).toEqual([]);
  });

  it('reads the labels in the UI language', async () => {
    await i18n.changeLanguage('zh');
    expect(enumValueText('MovementKindEnum', 'sale_shipment')).toBe('销售出库');
    expect(enumValueText('TransferStatusEnum', 'reversed')).toBe('已冲回');
    expect(enumValueText('ChargeStateEnum', 'requires_payment')).toBe('待支付');
    expect(enumValueText('ExceptionStateEnum', 'pending_approval')).toBe('待复核');
    expect(enumValueText('MovementKindEnum', 'teleport')).toBe('teleport');
    await i18n.changeLanguage('en');
    expect(enumValueText('MatchRuleKindEnum', 'amount_date')).toBe('By amount and date');
    expect(enumValueText('ReservationStateEnum', 'consumed')).toBe('Shipped');
    await i18n.changeLanguage('zh');
  });
});

describe('account types (OpenAPI TypeEnum)', () => {
  it('labels every account type in both languages', () => {
    const values = enumValues('TypeEnum');
    expect(values).toContain('sales_revenue');
    for (const language of ['zh', 'en']) {
      const labels = i18n.getResourceBundle(language, 'ledger').accountType as Record<
        string,
        string
      >;
      expect(
        values.filter((value) => !labels[value]),
        language,
      ).toEqual([]);
    }
  });
});

describe('journal sources', () => {
  const sources = matches(/(?:source_type=|SOURCE_TYPE = )"([a-z_]+\.[a-z_.]+)"/g);

  it('labels every journal source the backend posts, in both languages', () => {
    expect(sources).toContain('settlement.run');
    for (const language of ['zh', 'en'] as const) {
      expect(
        sources.filter((source) => !SOURCE_TYPES[language][source]),
        language,
      ).toEqual([]);
    }
  });
});

describe('audit actions', () => {
  const literal = matches(/action="([a-z_]+(?:\.[a-z_]+)+)"/g);
  // f"selection.sample.{action}" and "selection.application." + verb: the object is fixed, the verb varies.
  const templated = matches(/action=(?:f"([a-z_.]+)\.\{|"([a-z_.]+)\." \+)/g);

  it('labels the object and the verb of every action the backend records', () => {
    expect(literal).toContain('selection.sample.content');
    expect(templated).toEqual(
      expect.arrayContaining(['selection.sample', 'selection.application']),
    );
    const unlabelled = literal.filter((action) => auditActionLabel('zh', action) === action);
    expect(unlabelled).toEqual([]);
    expect(templated.filter((prefix) => !AUDIT_OBJECTS[prefix])).toEqual([]);
  });

  it('reads as words in both languages', () => {
    expect(auditActionLabel('zh', 'selection.sample.content')).toBe('寄样 · 提交带货内容');
    expect(auditActionLabel('en', 'selection.sample.content')).toBe('Sample content submitted');
    expect(auditActionLabel('zh', 'settlement.run_finished')).toBe('结算 · 结算完成');
    expect(Object.values(AUDIT_VERBS).every((label) => label.zh && label.en)).toBe(true);
  });
});

describe('audited objects', () => {
  it("names an activity's object in the UI language, never by a model's English note", () => {
    const entry = (object_type: string, object_id: string, object_repr: string) => ({
      object_type,
      object_id,
      object_repr,
    });
    const pick = entry('selection.pick', '7', 'pick 7: anchor 1 sku 1 (active)');
    expect(auditObjectText('zh', pick)).toBe('#7');
    expect(auditObjectText('zh', entry('supply.receipt', '3', 'Receipt 3'))).toBe('#3');
    expect(auditObjectText('zh', entry('parties.organization', '2', '宜宾叙府窖酒业'))).toBe(
      '宜宾叙府窖酒业',
    );
    expect(auditObjectText('zh', entry('supply.purchaseorder', '12', 'PO12'))).toBe('PO12');
    expect(auditObjectText('zh', entry('parties.anchoraccount', '4', 'douyin:蜀中小满'))).toBe(
      '抖音 · 蜀中小满',
    );
    expect(auditObjectText('en', entry('parties.anchoraccount', '4', 'douyin:蜀中小满'))).toBe(
      'Douyin · 蜀中小满',
    );
    expect(
      auditObjectText('zh', entry('selection.livesession', '3', 'session 3: 小满川味专场')),
    ).toBe('#3 小满川味专场');
    // An older answer without the type still shows what it has.
    expect(auditObjectText('zh', { object_repr: '宜宾某酒业' })).toBe('宜宾某酒业');
  });
});

describe('statement payee type', () => {
  it('names the kind of organization, not just 机构', async () => {
    const untyped = i18n.t.bind(i18n) as unknown as (key: string, options: object) => string;
    const t = ((key: string, options?: object) =>
      untyped(key, { ...options, ns: 'settlement' })) as unknown as Parameters<
      typeof payeeTypeText
    >[0];
    await i18n.changeLanguage('zh');
    expect(payeeTypeText(t, { payee_kind: 'organization', payee_org_kind: 'brand' })).toBe(
      '品牌商',
    );
    expect(
      payeeTypeText(t, { payee_kind: 'organization', payee_org_kind: 'service_provider' }),
    ).toBe('服务商');
    expect(payeeTypeText(t, { payee_kind: 'anchor', payee_org_kind: null })).toBe('主播');
    await i18n.changeLanguage('en');
    expect(payeeTypeText(t, { payee_kind: 'organization', payee_org_kind: 'mcn' })).toBe(
      i18n.getResourceBundle('en', 'translation').orgKind.mcn,
    );
    await i18n.changeLanguage('zh');
  });
});

describe('locations', () => {
  it("shows a warehouse's default locations by name in the UI language, never STOCK 默认库位 Stock", async () => {
    const untyped = i18n.t.bind(i18n) as unknown as (key: string, options: object) => string;
    const t = ((key: string, options?: object) =>
      untyped(key, { ...options, ns: 'supply' })) as unknown as Parameters<typeof locationText>[0];
    await i18n.changeLanguage('zh');
    expect(locationText(t, { code: 'STOCK', name: '默认库位 Stock' })).toBe('默认库位');
    expect(locationText(t, { code: 'TRANSIT', name: '在途 In transit' })).toBe('在途');
    expect(locationText(t, { code: 'A-01', name: '酒区一排' })).toBe('A-01 酒区一排');
    await i18n.changeLanguage('en');
    expect(locationText(t, { code: 'STOCK', name: '默认库位 Stock' })).toBe('Default location');
    await i18n.changeLanguage('zh');
  });
});
