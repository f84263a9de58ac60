from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from shuxuan.parties.models import Anchor, AnchorAccount, Invitation, McnBinding, Organization, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ["id", "name", "kind", "credit_code", "city", "county", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "credit_code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "organization", "roles", "is_active"]
    list_select_related = ["organization"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Shuxuan", {"fields": ("organization", "roles", "display_name", "language")}))


class AnchorAccountInline(admin.TabularInline[AnchorAccount, Anchor]):
    model = AnchorAccount
    extra = 0


@admin.register(Anchor)
class AnchorAdmin(admin.ModelAdmin[Anchor]):
    list_display = ["id", "name", "kind", "organization", "city"]
    list_select_related = ["organization"]
    inlines = [AnchorAccountInline]


@admin.register(McnBinding)
class McnBindingAdmin(admin.ModelAdmin[McnBinding]):
    list_display = ["anchor", "mcn", "split_bps", "valid_from", "valid_to"]
    list_select_related = ["anchor", "mcn"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # history: new bindings are made through the service, never edited

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["organization_name", "kind", "email", "created_at", "expires_at", "accepted_at"]
