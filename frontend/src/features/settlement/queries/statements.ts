/** Statements and their approval (结算单). */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { Paginated } from '@/api/models';
import {
  pages,
  statementDetailSchema,
  statementSchema,
  type PayeeKind,
  type Statement,
  type StatementState,
} from '../models';
import { PAGE_SIZE, errorMessage, take, useInvalidateSettlement } from './shared';

export interface StatementFilters {
  run?: number;
  state?: StatementState;
  payee_kind?: PayeeKind;
  /** Approved, something owed, no payout in flight or paid: what the payout screen offers. */
  awaiting_payout?: boolean;
}

export function useStatements(page: number, filters: StatementFilters, pageSize = PAGE_SIZE) {
  return useQuery({
    queryKey: ['settlement', 'statements', page, pageSize, filters],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<Statement>> =>
      pages.statements.parse(
        take(
          await api.GET('/api/settlement/statements/', {
            params: { query: { page, page_size: pageSize, ...filters } },
          }),
        ),
      ),
  });
}

export function useStatement(id: number | null) {
  return useQuery({
    queryKey: ['settlement', 'statement', id],
    enabled: id !== null,
    queryFn: async () =>
      statementDetailSchema.parse(
        take(
          await api.GET('/api/settlement/statements/{id}/', {
            params: { path: { id: id as number } },
          }),
        ),
      ),
  });
}

export function useStatementLines(id: number | null, page: number) {
  return useQuery({
    queryKey: ['settlement', 'statement-lines', id, page],
    enabled: id !== null,
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.legs.parse(
        take(
          await api.GET('/api/settlement/statements/{id}/lines/', {
            params: { path: { id: id as number }, query: { page, page_size: PAGE_SIZE } },
          }),
        ),
      ),
  });
}

export interface ApproveOutcome {
  approved: Statement[];
  failed: { id: number; message: string }[];
}

/** Approve statements one after the other; a failure does not stop the others. */
export function useApproveStatements() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (ids: number[]): Promise<ApproveOutcome> => {
      const outcome: ApproveOutcome = { approved: [], failed: [] };
      for (const id of ids) {
        try {
          outcome.approved.push(
            statementSchema.parse(
              take(
                await api.POST('/api/settlement/statements/{id}/approve/', {
                  params: { path: { id } },
                }),
              ),
            ),
          );
        } catch (error) {
          outcome.failed.push({ id, message: errorMessage(error) });
        }
      }
      return outcome;
    },
    onSuccess: invalidate,
  });
}
