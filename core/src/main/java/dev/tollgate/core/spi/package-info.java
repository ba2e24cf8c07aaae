/** Extension points of the core: key resolvers. */
package dev.tollgate.core.spi;
