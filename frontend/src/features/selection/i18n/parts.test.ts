/**
 * The bundle is composed by spreading the parts, so a group written in two parts would silently
 * keep only the last one: each top-level key lives in exactly one part.
 */
import { describe, expect, it } from 'vitest';
import i18n from '@/i18n';
import { NS } from '../i18n';
import * as common from './common';
import * as picks from './picks';
import * as plans from './plans';
import * as samples from './samples';
import * as search from './search';
import * as sessions from './sessions';

const PARTS = { common, picks, plans, samples, search, sessions };

describe('the parts of the selection bundle', () => {
  it.each(['zh', 'en'] as const)('name each %s group once, and all of them', (language) => {
    const keys = Object.values(PARTS).flatMap((part) => Object.keys(part[language]));
    expect(keys.length).toBeGreaterThan(30);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
    expect([...keys].sort()).toEqual(Object.keys(i18n.getResourceBundle(language, NS)).sort());
  });
});
