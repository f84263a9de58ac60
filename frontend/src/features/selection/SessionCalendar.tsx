/** The month calendar of scheduled sessions. */
import { Badge, Calendar, Empty, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { formatDateTime, formatTime, nowPicker } from '@/lib/time';
import { useSessionCalendar } from './api';
import { useSelectionT } from './i18n';
import { ApiErrorAlert } from './ui';
import { sessionsByDay } from './workbench';

export function SessionCalendar({ anchor }: { anchor?: number }) {
  const { t } = useSelectionT();
  const [month, setMonth] = useState<Dayjs>(() => nowPicker());
  const start = month.startOf('month').format('YYYY-MM-DD');
  const end = month.endOf('month').format('YYYY-MM-DD');
  const calendar = useSessionCalendar(start, end, anchor);
  const days = sessionsByDay(calendar.data ?? []);
  return (
    <div data-testid="sessions-calendar">
      {calendar.isError && <ApiErrorAlert error={calendar.error} />}
      <Calendar
        value={month}
        onPanelChange={(value) => setMonth(value)}
        onSelect={(value) => setMonth(value)}
        cellRender={(date, info) => {
          if (info.type !== 'date') return info.originNode;
          const list = days.get(date.format('YYYY-MM-DD')) ?? [];
          if (list.length === 0) return null;
          return (
            <ul
              style={{ listStyle: 'none', margin: 0, padding: 0 }}
              data-testid={`calendar-day-${date.format('YYYY-MM-DD')}`}
            >
              {list.map((session) => (
                <li key={session.id}>
                  <Tooltip
                    title={`${session.anchor_name} · ${formatDateTime(session.starts_at)} · ${session.items
                      .map((i) => i.product_name)
                      .join('、')}`}
                  >
                    <Badge
                      status="processing"
                      text={
                        <Typography.Text style={{ fontSize: 12 }} ellipsis>
                          {formatTime(session.starts_at)} {session.title}
                        </Typography.Text>
                      }
                    />
                  </Tooltip>
                </li>
              ))}
            </ul>
          );
        }}
      />
      {!calendar.isFetching && (calendar.data ?? []).length === 0 && (
        <Empty description={t('session.empty')} />
      )}
    </div>
  );
}
