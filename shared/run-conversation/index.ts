/** What each agent of a run was told and said, with the rights decision of every tool call. */
export {
  buildConversations,
  type ConversationEntry,
  type ConversationInput,
  type ConversationView,
  type RightsView,
  type StoredConversation,
  type TurnView,
} from './conversation';
export { renderConversations, rightsLine } from './render-text';
