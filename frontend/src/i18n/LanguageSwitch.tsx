import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from './index';

/** 中文 / English: swaps i18next, antd's locale (via App) and dayjs, and remembers the choice. */
export function LanguageSwitch() {
  const { i18n } = useTranslation();
  const value: Language = i18n.language === 'en' ? 'en' : 'zh';
  return (
    <Segmented<Language>
      data-testid="language-switch"
      size="small"
      value={value}
      onChange={(lng) => void setLanguage(lng)}
      options={[
        { label: '中文', value: 'zh' },
        { label: 'English', value: 'en' },
      ]}
    />
  );
}
