/**
 * The month calendar a date field opens (react-day-picker, in the app's locale, weeks from Monday): loaded
 * the first time a calendar is opened, not with the screens.
 */
import { DayPicker } from 'react-day-picker';
import { enUS, zhCN } from 'react-day-picker/locale';
import 'react-day-picker/style.css';
import type { Locale } from '../../core/i18n/translate.js';

export default function Calendar(props: { readonly locale: Locale; readonly selected: Date | undefined; readonly onSelect: (day: Date | undefined) => void }) {
  return (
    <DayPicker
      mode="single"
      selected={props.selected}
      defaultMonth={props.selected}
      onSelect={props.onSelect}
      locale={props.locale === 'zh-CN' ? zhCN : enUS}
      weekStartsOn={1}
      captionLayout="dropdown"
    />
  );
}
