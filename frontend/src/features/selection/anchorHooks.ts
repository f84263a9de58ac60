/** Hooks the anchor desk's tabs share: a failed write as one message, a platform's name. */
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '@/i18n/labels';
import { useSelectionT } from './i18n';
import { errorLines } from './formErrors';

export function useFail() {
  const { t, language } = useSelectionT();
  const { message } = App.useApp();
  return (error: unknown) =>
    void message.error(
      errorLines(error, t, language)
        .map((line) => line.text)
        .join('；'),
    );
}
export function usePlatformName() {
  const { t: tApp } = useTranslation();
  return (platform: string) => enumLabel(tApp, 'platform', platform);
}
