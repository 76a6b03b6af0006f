"""The route table: every path the gateway serves, grouped by Mastodon resource."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from gateway.auth import oauth, upstream_login
from gateway.routes import (
    accounts,
    albums,
    bookmarks,
    conversations,
    filters,
    follows,
    instance,
    lists,
    markers,
    media,
    notifications,
    placeholders,
    preferences,
    reactions,
    relationships,
    search,
    statuses,
    timelines,
)

STATIC_DIRECTORY = Path(__file__).resolve().parents[1] / "static"


def routes() -> list[BaseRoute]:
    return [
        # OAuth and applications
        Route("/api/v1/apps", oauth.create_app, methods=["POST"]),
        Route("/api/v1/apps/verify_credentials", oauth.verify_app_credentials, methods=["GET"]),
        Route("/oauth/authorize", oauth.authorize_page, methods=["GET"]),
        Route("/oauth/authorize", oauth.authorize_submit, methods=["POST"]),
        Route("/oauth/token", oauth.token, methods=["POST"]),
        Route("/oauth/revoke", oauth.revoke, methods=["POST"]),
        Route("/oauth/upstream", upstream_login.start, methods=["POST"]),
        Route(upstream_login.CALLBACK_PATH, upstream_login.callback, methods=["GET"]),
        Route("/oauth/userinfo", oauth.userinfo, methods=["GET", "POST"]),
        Route(
            "/.well-known/oauth-authorization-server", oauth.authorization_server_metadata, methods=["GET"]
        ),
        # Instance and discovery
        Route("/api/v1/instance", instance.show_instance_v1, methods=["GET"]),
        Route("/api/v2/instance", instance.show_instance_v2, methods=["GET"]),
        Route("/.well-known/nodeinfo", instance.show_nodeinfo_links, methods=["GET"]),
        Route("/nodeinfo/2.0", instance.show_nodeinfo, methods=["GET"]),
        Route("/.well-known/host-meta", instance.show_host_meta, methods=["GET"]),
        Route("/tags/{tag}", instance.redirect_tag, methods=["GET"]),
        Route("/about", instance.about, methods=["GET"]),
        # Endpoints of features not built yet: apps call them at startup, so they return empty values.
        # They come before the {id} routes, which would otherwise take their paths.
        *(Route(path, endpoint, methods=["GET"]) for path, endpoint in placeholders.EMPTY_ROUTES),
        Route("/api/v1/push/subscription", placeholders.no_push_subscription, methods=["GET"]),
        *(Route(path, endpoint, methods=[method]) for path, method, endpoint in placeholders.NOT_YET_ROUTES),
        # Accounts; the literal paths come before /api/v1/accounts/{id}
        Route("/api/v1/accounts", accounts.show_accounts, methods=["GET"]),
        Route("/api/v1/accounts/verify_credentials", accounts.verify_credentials, methods=["GET"]),
        Route("/api/v1/accounts/update_credentials", accounts.change_credentials, methods=["PATCH"]),
        Route("/api/v1/accounts/lookup", accounts.lookup_account, methods=["GET"]),
        Route("/api/v1/accounts/search", accounts.find_accounts, methods=["GET"]),
        Route("/api/v1/accounts/relationships", relationships.show_relationships, methods=["GET"]),
        Route("/api/v1/accounts/familiar_followers", relationships.familiar_followers, methods=["GET"]),
        Route("/api/v1/accounts/{id}", accounts.show_account, methods=["GET"]),
        Route("/api/v1/accounts/{id}/statuses", accounts.account_statuses, methods=["GET"]),
        Route("/api/v1/accounts/{id}/followers", follows.followers, methods=["GET"]),
        Route("/api/v1/accounts/{id}/following", follows.following, methods=["GET"]),
        Route("/api/v1/accounts/{id}/lists", lists.account_lists, methods=["GET"]),
        # Follows, blocks and mutes
        Route("/api/v1/accounts/{id}/follow", relationships.follow, methods=["POST"]),
        Route("/api/v1/accounts/{id}/unfollow", relationships.unfollow, methods=["POST"]),
        Route("/api/v1/accounts/{id}/block", relationships.block, methods=["POST"]),
        Route("/api/v1/accounts/{id}/unblock", relationships.unblock, methods=["POST"]),
        Route("/api/v1/accounts/{id}/mute", relationships.mute, methods=["POST"]),
        Route("/api/v1/accounts/{id}/unmute", relationships.unmute, methods=["POST"]),
        Route("/api/v1/blocks", follows.blocks, methods=["GET"]),
        Route("/api/v1/follow_requests", follows.list_follow_requests, methods=["GET"]),
        Route("/api/v1/follow_requests/{id}/authorize", follows.authorize_follow_request, methods=["POST"]),
        Route("/api/v1/follow_requests/{id}/reject", follows.reject_follow_request, methods=["POST"]),
        # Lists
        Route("/api/v1/lists", lists.show_lists, methods=["GET"]),
        Route("/api/v1/lists", lists.create_list, methods=["POST"]),
        Route("/api/v1/lists/{id}", lists.show_list, methods=["GET"]),
        Route("/api/v1/lists/{id}", lists.update_list, methods=["PUT"]),
        Route("/api/v1/lists/{id}", lists.delete_list, methods=["DELETE"]),
        Route("/api/v1/lists/{id}/accounts", lists.list_accounts, methods=["GET"]),
        Route("/api/v1/lists/{id}/accounts", lists.add_list_accounts, methods=["POST"]),
        Route("/api/v1/lists/{id}/accounts", lists.remove_list_accounts, methods=["DELETE"]),
        # Search
        Route("/api/v2/search", search.search_v2, methods=["GET"]),
        # Statuses
        Route("/api/v1/statuses", statuses.create, methods=["POST"]),
        Route("/api/v1/statuses/{id}", statuses.show, methods=["GET"]),
        Route("/api/v1/statuses/{id}", statuses.delete, methods=["DELETE"]),
        Route("/api/v1/statuses/{id}/context", statuses.context, methods=["GET"]),
        Route("/api/v1/statuses/{id}/favourite", reactions.favourite, methods=["POST"]),
        Route("/api/v1/statuses/{id}/unfavourite", reactions.unfavourite, methods=["POST"]),
        Route("/api/v1/statuses/{id}/reblog", reactions.reblog_status, methods=["POST"]),
        Route("/api/v1/statuses/{id}/unreblog", reactions.unreblog_status, methods=["POST"]),
        Route("/api/v1/statuses/{id}/favourited_by", reactions.favourited_by, methods=["GET"]),
        Route("/api/v1/statuses/{id}/reblogged_by", reactions.reblogged_by, methods=["GET"]),
        Route("/api/v1/favourites", reactions.favourites, methods=["GET"]),
        Route("/api/v1/statuses/{id}/bookmark", bookmarks.bookmark, methods=["POST"]),
        Route("/api/v1/statuses/{id}/unbookmark", bookmarks.unbookmark, methods=["POST"]),
        Route("/api/v1/statuses/{id}/mute", bookmarks.mute, methods=["POST"]),
        Route("/api/v1/statuses/{id}/unmute", bookmarks.unmute, methods=["POST"]),
        Route("/api/v1/bookmarks", bookmarks.bookmarks, methods=["GET"]),
        # Notifications and conversations
        Route("/api/v1/notifications", notifications.list_notifications, methods=["GET"]),
        Route("/api/v1/notifications/unread_count", notifications.unread_count, methods=["GET"]),
        Route("/api/v1/notifications/clear", notifications.clear_notifications, methods=["POST"]),
        Route("/api/v1/notifications/{id}", notifications.show_notification, methods=["GET"]),
        Route("/api/v1/notifications/{id}/dismiss", notifications.dismiss_notification, methods=["POST"]),
        Route("/api/v2/notifications", notifications.grouped_notifications, methods=["GET"]),
        Route("/api/v2/notifications/unread_count", notifications.grouped_unread_count, methods=["GET"]),
        Route("/api/v2/notifications/{group_key}", notifications.show_group, methods=["GET"]),
        Route("/api/v2/notifications/{group_key}/accounts", notifications.group_accounts, methods=["GET"]),
        Route("/api/v2/notifications/{group_key}/dismiss", notifications.dismiss_group, methods=["POST"]),
        Route("/api/v1/conversations", conversations.list_conversations, methods=["GET"]),
        Route("/api/v1/conversations/{id}/read", conversations.read_conversation, methods=["POST"]),
        Route("/api/v1/conversations/{id}", conversations.remove_conversation, methods=["DELETE"]),
        # State the gateway keeps for each person
        Route("/api/v1/markers", markers.show_markers, methods=["GET"]),
        Route("/api/v1/markers", markers.save_markers, methods=["POST"]),
        Route("/api/v1/preferences", preferences.show_preferences, methods=["GET"]),
        Route("/api/v2/filters", filters.list_filters, methods=["GET"]),
        Route("/api/v2/filters", filters.create_filter, methods=["POST"]),
        Route("/api/v2/filters/keywords/{id}", filters.show_keyword, methods=["GET"]),
        Route("/api/v2/filters/keywords/{id}", filters.update_keyword, methods=["PUT"]),
        Route("/api/v2/filters/keywords/{id}", filters.delete_keyword, methods=["DELETE"]),
        Route("/api/v2/filters/statuses/{id}", filters.show_filter_status, methods=["GET"]),
        Route("/api/v2/filters/statuses/{id}", filters.delete_filter_status, methods=["DELETE"]),
        Route("/api/v2/filters/{id}", filters.show_filter, methods=["GET"]),
        Route("/api/v2/filters/{id}", filters.update_filter, methods=["PUT"]),
        Route("/api/v2/filters/{id}", filters.delete_filter, methods=["DELETE"]),
        Route("/api/v2/filters/{filter_id}/keywords", filters.list_keywords, methods=["GET"]),
        Route("/api/v2/filters/{filter_id}/keywords", filters.add_keyword, methods=["POST"]),
        Route("/api/v2/filters/{filter_id}/statuses", filters.list_filter_statuses, methods=["GET"]),
        Route("/api/v2/filters/{filter_id}/statuses", filters.add_filter_status, methods=["POST"]),
        Route("/api/v1/filters", filters.list_v1_filters, methods=["GET"]),
        Route("/api/v1/filters", filters.create_v1_filter, methods=["POST"]),
        Route("/api/v1/filters/{id}", filters.show_v1_filter, methods=["GET"]),
        Route("/api/v1/filters/{id}", filters.update_v1_filter, methods=["PUT"]),
        Route("/api/v1/filters/{id}", filters.delete_v1_filter, methods=["DELETE"]),
        # Media
        Route("/api/v1/media", media.create_media, methods=["POST"]),
        Route("/api/v2/media", media.create_media, methods=["POST"]),
        Route("/api/v1/media/{id}", media.show_media, methods=["GET"]),
        Route("/api/v1/media/{id}", media.update_media, methods=["PUT"]),
        Route("/api/v1/media/{id}", media.delete_media, methods=["DELETE"]),
        Route("/mastogate/pictures/{grant}/{key}", media.serve_picture, methods=["GET"]),
        # Friendica photo albums (an extension of the Mastodon API)
        Route("/api/v1/friendica/albums", albums.list_albums, methods=["GET"]),
        # Album names may contain "/", so they match as paths; the /photos route comes first.
        Route("/api/v1/friendica/albums/{name:path}/photos", albums.album_photos, methods=["GET"]),
        Route("/api/v1/friendica/albums/{name:path}", albums.rename_album, methods=["PUT", "PATCH"]),
        Route("/api/v1/friendica/albums/{name:path}", albums.delete_album, methods=["DELETE"]),
        # Timelines
        Route("/api/v1/timelines/home", timelines.home, methods=["GET"]),
        Route("/api/v1/timelines/public", timelines.public, methods=["GET"]),
        Route("/api/v1/timelines/tag/{tag}", timelines.hashtag, methods=["GET"]),
        Route("/api/v1/tags/{name}", timelines.show_tag, methods=["GET"]),
        Route("/api/v1/timelines/list/{id}", timelines.list_timeline, methods=["GET"]),
        Mount("/mastogate/static", StaticFiles(directory=STATIC_DIRECTORY), name="static"),
    ]
