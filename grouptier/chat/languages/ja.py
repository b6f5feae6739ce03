"""Japanese (ja): Android and iOS.

WhatsApp's own wording, from its Android strings.xml and iOS Localizable.strings
(sources: tests/data/chats/README.md).
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="ja",
    name="日本語",
    system={
        "created": (
            "{actor}がグループ{any}を作成しました",
            "グループ {any}を作成しました",
            "{actor}がグループを作成しました",
            "グループ{any}を作成しました",
            "グループを作成しました",
        ),
        "added": (
            "{actor}が{target}を追加しました",
            "{target}を追加しました",
            "{actor}があなたを追加しました",
            "{actor}が{target}を追加",
        ),
        "you_were_added": (
            "グループに追加されました",
            "追加されました",
        ),
        "joined_by_link": (
            "{actor} がこのグループの招待リンクから参加しました",
            "このグループの招待リンクを使用して参加しました",
            "{actor}が招待リンクからグループに参加しました",
            "招待リンクからグループに参加しました",
        ),
        "left": (
            "{actor} が退出",
            "退出しました",
            "{actor}が退出しました",
        ),
        "removed": (
            "{actor}が{target}を削除しました",
            "{target}を削除しました",
            "{actor}があなたを削除しました",
        ),
        "subject": (
            "{actor} がグループ名を{any}に変更しました",
            "グループ名を {any}に変更しました",
            "グループ名を{any}に変更しました",
        ),
        "icon": (
            "{actor}がグループ画像を変更しました",
            "グループ画像を変更しました",
            "{actor}がグループ画像を削除しました",
            "グループ画像を削除しました",
            "{actor}がグループアイコンを変更しました",
            "グループアイコンを変更しました",
        ),
        "description": (
            "{actor} がグループの説明を変更しました",
            "グループの説明を変更しました",
            "{actor} がグループの説明を削除しました",
            "グループの説明を削除しました",
        ),
        "admin": ("管理者になりました",),
        "encryption": (
            "このグループへのメッセージは、エンドツーエンドの暗号化で保護されます{any}",
            "このグループへのメッセージは、エンドツーエンドの暗号化で保護されています{any}",
            "このチャットと通話へのメッセージは、エンドツーエンドの暗号化で保護されています{any}",
            "メッセージと通話はエンドツーエンド暗号化されています{any}",
        ),
        "security_code": (
            "{actor} のセキュリティコードが変更されました{any}",
            "{actor}とのセキュリティコードが変更されました{any}",
        ),
        "number_changed": ("{actor}の電話番号が変更されました{any}",),
        "disappearing": (
            "{actor}が消えるメッセージをオンにしました{any}",
            "{actor}が消えるメッセージをオフにしました{any}",
            "{actor}がメッセージタイマーを更新しました{any}",
            "メッセージタイマーを更新しました{any}",
            "消えるメッセージをオンにしました{any}",
            "消えるメッセージをオフにしました{any}",
        ),
        "settings": ("{actor}がこのグループの招待リンクをリセットしました{any}",),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "音声通話不在着信",
            "グループ音声通話不在着信",
            "ビデオ通話不在着信",
            "グループビデオ通話不在着信",
            "不在着信",
        ),
    },
    media=("<メディアは含まれていません>", "<メディアなし>"),
    ios_media=(
        "画像は含まれていません",
        "ビデオは含まれていません",
        "音声は含まれていません",
        "スタンプは含まれていません",
        "GIFは含まれていません",
        "連絡先カードを省略",
    ),
    documents=("ドキュメントは含まれていません",),
    attached=("添付ファイル有り",),
    ios_attached=("添付ファイル",),
    deleted=(
        "このメッセージは削除されました",
        "このメッセージを削除しました",
        "このメッセージは削除されました。",
    ),
    conjunctions=("および",),
)
