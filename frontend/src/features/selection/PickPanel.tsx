import { App, Button, Card, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useActingAnchors, useAddPick, usePicks } from './api';
import { useSelectionT } from './i18n';
import { QuoteView } from './QuoteView';
import { errorLines } from './formErrors';

/** In the product drawer, for the anchor side: "my rate and why" for this SKU, and add it to the pick list. */
export function PickPanel({ sku }: { sku: number }) {
  const { t, language } = useSelectionT();
  const { message } = App.useApp();
  const acting = useActingAnchors();
  const [chosen, setChosen] = useState<number | undefined>();
  const anchor = acting.ownAnchor ?? chosen ?? acting.anchors[0]?.id;
  const picks = usePicks({ anchor, ...(anchor ? {} : { state: 'active' as const }) });
  const add = useAddPick();
  const existing = (picks.data ?? []).find((p) => p.sku === sku && p.state !== 'removed');

  if (acting.isPending || anchor === undefined) return null;
  return (
    <Card
      size="small"
      title={t('quote.title')}
      data-testid="pick-panel"
      extra={
        existing ? (
          <Space>
            <Tag color="green" data-testid="pick-panel-in-picks">
              {t('pick.inPicks')}
            </Tag>
            <Link to="/selection/anchor/picks">{t('tabs.picks')}</Link>
          </Space>
        ) : (
          <Button
            type="primary"
            size="small"
            loading={add.isPending}
            data-testid="pick-add"
            onClick={() =>
              add.mutateAsync({ sku, anchor }).then(
                () => void message.success(t('pick.added')),
                (error: unknown) =>
                  void message.error(
                    errorLines(error, t, language)
                      .map((l) => l.text)
                      .join('；'),
                  ),
              )
            }
          >
            {t('pick.add')}
          </Button>
        )
      }
    >
      {acting.ownAnchor === null && acting.anchors.length > 1 && (
        <Select
          style={{ width: 220, marginBottom: 8 }}
          value={anchor}
          onChange={setChosen}
          options={acting.anchors.map((a) => ({ value: a.id, label: a.name }))}
        />
      )}
      <QuoteView sku={sku} anchor={anchor} />
    </Card>
  );
}
