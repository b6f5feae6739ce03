"""Chinese, simplified (zh-Hans): Android and iOS.

WhatsApp's own wording, from its Android strings.xml and iOS Localizable.strings
(sources: tests/data/chats/README.md).
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="zh-Hans",
    name="简体中文",
    system={
        "created": (
            "{actor} 创建了 {any} 群组",
            "你创建了群组{any}",
            "{actor} 创建了本群组",
            "您创建了 {any} 群组",
            "您创建了本群组",
        ),
        "added": (
            "{actor} 添加了 {target}",
            "您添加了 {target}",
            "{actor} 添加了您",
        ),
        "you_were_added": (
            "您已被添加",
            "有人添加了您",
        ),
        "joined_by_link": (
            "{actor} 使用了群组邀请连结加入群组",
            "您使用了群组邀请连结加入群组",
            "{actor} 使用了群组邀请链接加入群组",
            "您使用了群组邀请链接加入群组",
        ),
        "left": (
            "{actor} 退出了",
            "您已退出群组",
        ),
        "removed": (
            "{actor} 移除了 {target}",
            "您移除了 {target}",
            "{actor} 移除了您",
        ),
        "subject": (
            "{actor} 更改了主题为 {any}",
            "您将群组主题更改为{any}",
            "{actor} 已更改主题为 {any}",
            "您更改了主题為 {any}",
        ),
        "icon": (
            "{actor} 更改了本群组图标",
            "您更改了本群组图标",
            "{actor} 删除了本群组图标",
            "您删除了本群组图标",
            "{actor} 更改了本群组的图标",
        ),
        "description": (
            "{actor}更改了群组描述",
            "您更改了群组描述",
            "{actor} 更改了群组描述",
            "{actor} 删除了群组描述",
            "你删除了群组描述",
        ),
        "admin": ("您已成为群组管理员",),
        "encryption": (
            "此群组中的信息进行了端到端的加密{any}",
            "此群组中的信息已进行端到端的加密{any}",
            "此对话中的信息和通话已进行端到端的加密{any}",
            "消息和通话都进行端到端加密{any}",
            "消息和通话已进行端到端加密{any}",  # export
        ),
        "security_code": (
            "{actor} 的安全编码已更改{any}",
            "您和 {actor} 的安全代码已更改{any}",
        ),
        "number_changed": ("{actor} 已更改电话号码{any}",),
        "disappearing": (
            "{actor} 已开启限时消息功能{any}",
            "{actor} 已关闭限时消息功能{any}",
            "{actor} 已更新消息保留期限{any}",
            "您已更新消息保留期限{any}",
            "您已开启限时消息功能{any}",
            "您已关闭限时消息{any}",
        ),
        "settings": ("{actor} 重置了此群组的邀请链接{any}",),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "未接语音通话",
            "未接群组语音通话",
            "未接视频通话",
            "未接群组视频通话",
        ),
    },
    media=("<省略多媒体文件>", "<省略影音内容>"),
    ios_media=(
        "照片已忽略",
        "视频已忽略",
        "音频已忽略",
        "贴图已省略",
        "GIF 动态图已被忽略",
        "联系人卡片已忽略",
    ),
    documents=("文档已省略",),
    attached=("文件附件",),
    ios_attached=("附件",),
    deleted=(
        "信息已删除",
        "这条消息已删除",
        "您删除这个信息",
        "这条消息已被删除。",
        "这条消息已被删除",
        "您已删除这条消息",
    ),
    conjunctions=("和",),
)
