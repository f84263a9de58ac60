import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from '@/api/client';
import { setDayjsLocale } from '@/lib/time';
import en from './en';
import zh from './zh';

export type Language = 'zh' | 'en';
export const LANGUAGES: Language[] = ['zh', 'en'];
export const LANGUAGE_STORAGE_KEY = 'shuxuan.language';

export function storedLanguage(): Language {
  try {
    const value = globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY);
    return value === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

function applySideEffects(language: Language): void {
  setApiLanguage(language === 'en' ? 'en' : 'zh-hans');
  setDayjsLocale(language);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = language === 'en' ? 'en' : 'zh-CN';
  }
}

const initial = storedLanguage();
void i18n.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'zh',
  interpolation: { escapeValue: false },
  returnNull: false,
});
applySideEffects(initial);

/** Switch the UI language and remember the choice in localStorage. */
export async function setLanguage(language: Language): Promise<void> {
  try {
    globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
  applySideEffects(language);
  await i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'zh';
}

export default i18n;
