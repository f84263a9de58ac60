/** The English bundle has the Chinese bundle's keys, each a string (any wording). */
export type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
