/**
 * What the dashboard's templates render: one record per page or fragment, already formatted, with
 * every URL built and encoded. A template directory that overrides the shipped {@code .jte} files
 * (see {@code docs/dashboard.md}) receives these same records, so they are kept stable like an API.
 */
package dev.tollgate.web.view;
