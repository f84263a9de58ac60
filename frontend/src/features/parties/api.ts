import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import {
  anchorSchema,
  invitationSchema,
  organizationSchema,
  paginated,
  type Anchor,
  type Invitation,
  type Organization,
  type Paginated,
} from '@/api/models';

export const PAGE_SIZE = 20;

const organizationPage = paginated(organizationSchema);
const anchorPage = paginated(anchorSchema);
const invitationPage = paginated(invitationSchema);

export type OrganizationKind = 'brand' | 'mcn' | 'observer' | 'operator' | 'service_provider';
export type AnchorKind = 'person' | 'digital_human';

export function useOrganizations(page: number, kind?: OrganizationKind) {
  return useQuery({
    queryKey: ['parties', 'organizations', page, kind],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<Organization>> =>
      organizationPage.parse(
        unwrap(
          await api.GET('/api/parties/organizations/', {
            params: { query: { page, page_size: PAGE_SIZE, kind } },
          }),
        ),
      ),
  });
}

export function useAnchors(page: number, kind?: AnchorKind) {
  return useQuery({
    queryKey: ['parties', 'anchors', page, kind],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<Anchor>> =>
      anchorPage.parse(
        unwrap(
          await api.GET('/api/parties/anchors/', {
            params: { query: { page, page_size: PAGE_SIZE, kind } },
          }),
        ),
      ),
  });
}

export function useInvitations(page: number, enabled: boolean) {
  return useQuery({
    queryKey: ['parties', 'invitations', page],
    enabled,
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<Invitation>> =>
      invitationPage.parse(
        unwrap(
          await api.GET('/api/parties/invitations/', {
            params: { query: { page, page_size: PAGE_SIZE } },
          }),
        ),
      ),
  });
}
