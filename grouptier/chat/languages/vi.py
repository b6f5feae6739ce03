# ruff: noqa: E501 - WhatsApp's wordings, quoted whole in their own scripts
"""Vietnamese (vi): Android and iOS.

WhatsApp's own wording, from its Android strings.xml and iOS Localizable.strings
(sources: tests/data/chats/README.md).
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="vi",
    name="Tiếng Việt",
    system={
        "created": (
            "{actor} đã tạo nhóm {any}",
            "Bạn đã tạo nhóm {any}",
            "{actor} đã tạo nhóm này",
            "Bạn đã tạo nhóm này",
        ),
        "added": (
            "{actor} đã thêm {target} vào nhóm",
            "Bạn đã thêm {target} vào nhóm",
            "{actor} đã thêm bạn vào nhóm",
            "{actor} đã thêm {target}",
            "Bạn đã thêm {target}",
            "{actor} đã thêm bạn",
        ),
        "you_were_added": (
            "Bạn đã được thêm vào nhóm",
            "Bạn đã được thêm",
        ),
        "joined_by_link": (
            "{actor} đã tham gia nhóm này bằng liên kết mời",
            "Bạn đã tham gia nhóm này bằng liên kết mời",
            "{actor} đã tham gia liên kết mời của nhóm này",
        ),
        "left": (
            "{actor} đã rời nhóm",
            "Bạn đã rời nhóm",
        ),
        "removed": (
            "{actor} đã bỏ {target} khỏi nhóm",
            "Bạn đã bỏ {target} khỏi nhóm",
            "{actor} đã bỏ bạn ra khỏi nhóm",
            "Bạn đã xóa {target}",
            "{actor} đã bỏ bạn khỏi nhóm",
        ),
        "subject": (
            "{actor} đã đổi tên nhóm thành {any}",
            "Bạn đã đổi tên nhóm thành {any}",
            "{actor} đã đổi tên thành {any}",
        ),
        "icon": (
            "{actor} đã thay đổi biểu tượng nhóm này",
            "Bạn đã đổi biểu tượng nhóm",
            "{actor} đã xóa biểu tượng nhóm này",
            "Bạn đã xóa biểu tượng nhóm",
            "{actor} đã thay đổi biểu tượng của nhóm này",
        ),
        "description": (
            "{actor} đã thay đổi mô tả nhóm",
            "Bạn đã thay đổi mô tả nhóm",
            "{actor} đã xóa mô tả nhóm",
            "Bạn đã xóa mô tả nhóm",
        ),
        "admin": ("Bạn hiện là quản trị viên",),
        "encryption": (
            "Các tin nhắn gửi tới nhóm này đã được bảo mật với mã hoá đầu-cuối{any}",
            "Những tin nhắn gửi tới nhóm này được bảo mật với mã hoá đầu-cuối{any}",
            "Các tin nhắn gửi tới cuộc trò chuyện này và các cuộc gọi đã được bảo mật với mã hoá đầu-cuối{any}",
            "Tin nhắn và cuộc gọi được mã hóa đầu cuối{any}",
        ),
        "security_code": (
            "Mã bảo mật của {actor} đã thay đổi{any}",
            "Mã bảo mật của bạn với {actor} đã thay đổi{any}",
        ),
        "number_changed": ("{actor} đã đổi số điện thoại{any}",),
        "disappearing": (
            "{actor} đã bật tính năng tin nhắn tự hủy{any}",
            "{actor} đã tắt tính năng tin nhắn tự hủy{any}",
            "{actor} đã cập nhật thời gian hẹn cho tin nhắn{any}",
            "Bạn đã cập nhật thời gian hẹn cho tin nhắn{any}",
            "Bạn đã bật tính năng tin nhắn tự hủy{any}",
            "Bạn đã tắt tính năng Tin nhắn tự hủy{any}",
        ),
        "settings": ("{actor} đã đặt lại liên kết mời của nhóm này{any}",),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "Cuộc gọi nhỡ",
            "Cuộc gọi nhỡ nhóm",
            "Cuộc gọi nhỡ video",
            "Cuộc gọi nhỡ video nhóm",
        ),
    },
    media=("<Bỏ qua Media>", "<bỏ qua tệp phương tiện>"),
    ios_media=(
        "đã bỏ qua hình ảnh",
        "đã bỏ video",
        "bỏ qua tệp âm thanh",
        "đã bỏ sticker",
        "Đã bỏ qua ảnh GIF",
        "Bỏ qua thẻ liên lạc",
    ),
    documents=("đã bỏ qua tài liệu",),
    attached=("tệp đính kèm",),
    ios_attached=("đính kèm",),
    deleted=(
        "Tin nhắn này đã bị xoá",
        "Bạn đã xoá tin nhắn này",
        "Tin nhắn này đã bị xóa",
        "Bạn đã xóa tin nhắn này",
    ),
    conjunctions=("và",),
)
