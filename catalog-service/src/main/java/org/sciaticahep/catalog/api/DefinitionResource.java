package org.sciaticahep.catalog.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.sciaticahep.catalog.domain.VersionedCatalog;
import org.sciaticahep.contracts.catalog.CatalogDefinition;
import org.sciaticahep.support.Roles;

/** The same versioned REST shape for exercises and program templates. */
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public abstract class DefinitionResource<D extends CatalogDefinition> {

    protected abstract VersionedCatalog<D> catalog();

    @GET
    @Operation(summary = "The current version of every definition")
    public Uni<List<D>> list() {
        return catalog().current();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "The current version of one definition")
    public Uni<D> get(@PathParam("id") String id) {
        return catalog().get(id);
    }

    @GET
    @Path("{id}/versions")
    @Operation(summary = "Every version of one definition, oldest first")
    public Uni<List<D>> versions(@PathParam("id") String id) {
        return catalog().versions(id);
    }

    @POST
    @RolesAllowed(Roles.CATALOG_EDITOR)
    @Operation(summary = "Define a new one (version 1)")
    public Uni<Response> create(D draft, @Context UriInfo uri) {
        return catalog().create(draft).map(created ->
                Response.created(uri.getAbsolutePathBuilder().path(created.id()).build()).entity(created).build());
    }

    @PUT
    @Path("{id}")
    @RolesAllowed(Roles.CATALOG_EDITOR)
    @Operation(summary = "Store a new version; a version given in the body must be the current one")
    public Uni<D> update(@PathParam("id") String id, D draft) {
        return catalog().update(id, draft);
    }
}
