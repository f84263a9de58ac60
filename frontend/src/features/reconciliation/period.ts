import { useSearchParams } from 'react-router-dom';
import { currentPeriod, isPeriod } from './logic';

/** The period the workbench looks at: ?period=YYYY-MM, the current month by default. */
export function usePeriod(): [string, (period: string) => void] {
  const [search, setSearch] = useSearchParams();
  const value = search.get('period');
  const period = isPeriod(value) ? value : currentPeriod();
  const setPeriod = (next: string) => {
    const copy = new URLSearchParams(search);
    copy.set('period', next);
    setSearch(copy, { replace: true });
  };
  return [period, setPeriod];
}
