/**
 * PLACEHOLDER written by hand from the API contract until the backend publishes
 * backend/openapi.json. Regenerate with `npm run gen:api` (openapi-typescript) and commit the result.
 */

export interface paths {
  '/api/auth/csrf/': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content?: never } };
    };
  };
  '/api/auth/login/': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { 'application/json': components['schemas']['Login'] } };
      responses: {
        200: { headers: { [name: string]: unknown }; content: { 'application/json': components['schemas']['Me'] } };
        400: { headers: { [name: string]: unknown }; content: { 'application/json': components['schemas']['Error'] } };
        429: { headers: { [name: string]: unknown }; content: { 'application/json': components['schemas']['Error'] } };
      };
    };
  };
  '/api/auth/logout/': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 204: { headers: { [name: string]: unknown }; content?: never } };
    };
  };
  '/api/auth/me/': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { 'application/json': components['schemas']['Me'] } };
        403: { headers: { [name: string]: unknown }; content: { 'application/json': components['schemas']['Error'] } };
      };
    };
  };
  '/api/home/': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { 'application/json': components['schemas']['Home'] } };
      };
    };
  };
  '/api/parties/organizations/': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: { page?: number; page_size?: number };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: { 'application/json': components['schemas']['PaginatedOrganizationList'] };
        };
      };
    };
  };
  '/api/parties/anchors/': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: { page?: number; page_size?: number };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: { 'application/json': components['schemas']['PaginatedAnchorList'] };
        };
      };
    };
  };
  '/api/parties/invitations/': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: { page?: number; page_size?: number };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: { 'application/json': components['schemas']['PaginatedInvitationList'] };
        };
      };
    };
  };
}

export interface components {
  schemas: {
    Login: { username: string; password: string };
    Error: { detail: string };
    OrganizationRef: { id: number; name: string; kind: string };
    Me: {
      id: number;
      username: string;
      display_name: string;
      organization: components['schemas']['OrganizationRef'] | null;
      roles: string[];
      home: 'brand' | 'mcn' | 'operator' | 'finance' | 'observer' | 'service_provider';
      language: 'zh-hans' | 'en';
    };
    HomeCard: { key: string; label_zh: string; label_en: string; value: unknown };
    Activity: { at: string; actor: string; action: string; object_repr: string };
    Home: {
      home: string;
      organization: components['schemas']['OrganizationRef'] | null;
      cards: components['schemas']['HomeCard'][];
      series?: { [key: string]: unknown };
      recent_activity?: components['schemas']['Activity'][];
    };
    Organization: {
      id: number;
      name: string;
      kind: string;
      credit_code?: string;
      city?: string;
      county?: string;
      is_active?: boolean;
      created_at?: string;
    };
    AnchorAccount: {
      platform: string;
      platform_uid: string;
      nickname: string;
      fans: number;
      main_categories: string[];
    };
    Binding: {
      mcn: { id: number; name: string };
      split_bps: number;
      valid_from: string;
      valid_to: string | null;
    };
    Anchor: {
      id: number;
      name: string;
      kind: 'person' | 'digital_human';
      region: string;
      accounts: components['schemas']['AnchorAccount'][];
      current_binding: components['schemas']['Binding'] | null;
    };
    Invitation: {
      id: number;
      kind: string;
      organization_name: string;
      email: string;
      created_at: string;
      expires_at: string;
      accepted_at: string | null;
    };
    PaginatedOrganizationList: {
      count: number;
      next?: string | null;
      previous?: string | null;
      results: components['schemas']['Organization'][];
    };
    PaginatedAnchorList: {
      count: number;
      next?: string | null;
      previous?: string | null;
      results: components['schemas']['Anchor'][];
    };
    PaginatedInvitationList: {
      count: number;
      next?: string | null;
      previous?: string | null;
      results: components['schemas']['Invitation'][];
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
