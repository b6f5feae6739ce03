"""English: Android and iOS (sources: tests/data/chats/README.md)."""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="en",
    name="English",
    system={
        "created": ("{actor} created group {any}", "{actor} created this group"),
        "added": (
            "{actor} added {target}",
            "{actor} added you to a group in the community{any}",
        ),
        "you_were_added": ("You were added",),
        "joined_by_link": (
            "{actor} joined using this group's invite link",
            "{actor} joined using an invite link",
            "{actor} joined using a group link",
            "{actor} joined using your invite",
        ),
        # "Ana was added": who added her is not said, so nobody is credited with an invite
        "joined": (
            "{actor} joined",
            "{actor} joined from the community",
            "{actor} was added",
            "{actor} were added",
        ),
        "left": ("{actor} left",),
        "removed": ("{actor} removed {target}", "You were removed"),
        "subject": (
            "{actor} changed the subject {any}",
            "{actor} changed the group name {any}",
            "{actor} changed the subject",
        ),
        "icon": (
            "{actor} changed this group's icon",
            "{actor} changed the group icon",
            "{actor} deleted this group's icon",
        ),
        "description": (
            "{actor} changed the group description",
            "{actor} deleted the group description",
        ),
        "settings": (
            "{actor} changed this group's settings{any}",
            "{actor} changed the group settings{any}",
            "{actor} changed the settings{any}",
            "{actor} reset this group's invite link",
            "You revoked this group's invite link",
            "{actor} turned on admin approval to join this group{any}",
            "{actor} turned off admin approval to join this group{any}",
        ),
        "encryption": ("{any}end-to-end encrypted{any}", "{any}with end-to-end encryption{any}"),
        "security_code": (
            "Your security code with {actor} changed{any}",
            "{any}security code changed{any}",
        ),
        "number_changed": (
            "{actor} changed their phone number{any}",
            "{actor} changed his phone number{any}",
            "{actor} changed her phone number{any}",
            "{actor} changed to +{any}",
            "{actor} changed from +{any}",
        ),
        "admin": ("{any}now an admin", "{any}no longer an admin"),
        "disappearing": (
            "{actor} turned on disappearing messages{any}",
            "{actor} turned off disappearing messages{any}",
            "{actor} updated the message timer{any}",
            "{any}disappearing messages{any}",
        ),
        "pinned": ("{actor} pinned a message",),
        "community": (
            "{any}added this group to the community{any}",
            "{any}this group was added to the community{any}",
        ),
        "call": (
            "Missed voice call",
            "Missed video call",
            "Missed group voice call",
            "Missed group video call",
        ),
    },
    media=("<Media omitted>", "<Video message omitted>", "<Video note omitted>"),
    ios_media=(
        "image omitted",
        "video omitted",
        "audio omitted",
        "sticker omitted",
        "GIF omitted",
        "Contact card omitted",
    ),
    documents=("document omitted",),
    attached=("file attached",),
    ios_attached=("attached",),
    deleted=(
        "This message was deleted",
        "You deleted this message",
        "You deleted this message as admin",
    ),
    deleted_first=("This message was deleted by admin",),
    edited=("<This message was edited>",),
    conjunctions=("and",),
)
